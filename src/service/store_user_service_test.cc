#include "service/store_user_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/password_hash.h"
#include "service/store_token_service.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

using ::testing::HasSubstr;

constexpr char kPassword[] = "a-long-enough-password";

class StoreUserServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteStore::Open(dir_.File("rockpool.db"), clock_)).value();
    users_ = std::make_unique<StoreUserService>(*store_, credentials_);
  }

  TempDir dir_;
  FakeClock clock_;
  auth::FixedCredentialSource credentials_{BasicAuth{"root-admin", "$argon2id$unused"}};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<StoreUserService> users_;
};

TEST_F(StoreUserServiceTest, AnAccountKeepsOnlyAHashAndIsFoundForSignIn) {
  auto made = users_->Create("ann", kPassword, Role::kMember);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->role, Role::kMember);
  EXPECT_FALSE(made->deployment);

  auto found = users_->Find("ann");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_TRUE(PasswordMatches(kPassword, (*found)->password_hash));
  EXPECT_EQ((*found)->password_hash.find(kPassword), std::string::npos);
  EXPECT_FALSE(users_->Find("bob")->has_value());

  auto all = users_->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].username, "root-admin");
  EXPECT_TRUE((*all)[0].deployment);
  EXPECT_EQ((*all)[0].role, Role::kAdmin);
  EXPECT_EQ((*all)[1].username, "ann");
}

TEST_F(StoreUserServiceTest, BadNamesShortPasswordsAndTakenNamesAreRefused) {
  EXPECT_EQ(users_->Create("A", kPassword, Role::kMember).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(users_->Create("9lives", kPassword, Role::kMember).status().code(),
            Code::kInvalidArgument);
  auto short_password = users_->Create("ann", "short", Role::kMember);
  EXPECT_EQ(short_password.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(short_password.status().message(), HasSubstr("at least 12"));
  EXPECT_EQ(users_->Create("root-admin", kPassword, Role::kMember).status().code(),
            Code::kAlreadyExists);
  ASSERT_TRUE(users_->Create("ann", kPassword, Role::kMember).ok());
  EXPECT_EQ(users_->Create("ann", kPassword, Role::kAdmin).status().code(), Code::kAlreadyExists);
  EXPECT_EQ(users_->List()->size(), 2u);
}

TEST_F(StoreUserServiceTest, AdminsChangeOthersButNotThemselvesNorTheDeploymentAccount) {
  ASSERT_TRUE(users_->Create("ann", kPassword, Role::kAdmin).ok());
  ASSERT_TRUE(users_->Create("bob", kPassword, Role::kMember).ok());

  auto disabled = users_->Update("ann", "bob", {.disabled = true});
  ASSERT_TRUE(disabled.ok()) << disabled.status().ToString();
  EXPECT_TRUE(disabled->disabled);
  EXPECT_TRUE((*users_->Find("bob"))->disabled);

  auto promoted = users_->Update("root-admin", "bob", {.role = Role::kAdmin});
  ASSERT_TRUE(promoted.ok());
  EXPECT_EQ(promoted->role, Role::kAdmin);
  EXPECT_TRUE(promoted->disabled);  // untouched fields stay

  ASSERT_TRUE(
      users_->Update("ann", "bob", {.password = std::string("another-long-password")}).ok());
  EXPECT_TRUE(PasswordMatches("another-long-password", (*users_->Find("bob"))->password_hash));
  EXPECT_EQ(users_->Update("ann", "bob", {.password = std::string("short")}).status().code(),
            Code::kInvalidArgument);

  EXPECT_EQ(users_->Update("ann", "ann", {.disabled = true}).status().code(), Code::kConflict);
  EXPECT_EQ(users_->Update("ann", "ann", {.role = Role::kMember}).status().code(), Code::kConflict);
  auto deployment = users_->Update("ann", "root-admin", {.disabled = true});
  EXPECT_EQ(deployment.status().code(), Code::kConflict);
  EXPECT_THAT(deployment.status().message(), HasSubstr("rockpool up"));
  EXPECT_EQ(users_->Update("ann", "carl", {.disabled = true}).status().code(), Code::kNotFound);
}

TEST_F(StoreUserServiceTest, ANewAccountDoesNotInheritAFormerAccountsWorkspacesOrTokens) {
  Workspace ws;
  ws.id = NewUuidV4();
  ws.name = "old-admins";
  ws.image = "img";
  ws.owner = "admin";  // the deployment's account before ROCKPOOL_USERNAME changed
  ASSERT_TRUE(store_->workspaces().Insert(ws).ok());
  EXPECT_EQ(users_->Create("admin", kPassword, Role::kMember).status().code(), Code::kConflict);
  StoreTokenService tokens(*store_, clock_, credentials_);
  ASSERT_TRUE(tokens.Create("old-name", "laptop", std::nullopt).ok());
  EXPECT_EQ(users_->Create("old-name", kPassword, Role::kMember).status().code(), Code::kConflict);
  EXPECT_FALSE(users_->Find("admin")->has_value());
  EXPECT_FALSE(users_->Find("old-name")->has_value());
}

TEST_F(StoreUserServiceTest, AnAccountChangesItsOwnPasswordOnlyWithTheCurrentOne) {
  ASSERT_TRUE(users_->Create("ann", kPassword, Role::kMember).ok());
  EXPECT_EQ(users_->ChangePassword("ann", "wrong-password", "another-long-password").code(),
            Code::kPermissionDenied);
  EXPECT_EQ(users_->ChangePassword("ann", kPassword, "short").code(), Code::kInvalidArgument);
  EXPECT_EQ(users_->ChangePassword("root-admin", kPassword, "another-long-password").code(),
            Code::kConflict);
  EXPECT_EQ(users_->ChangePassword("carl", kPassword, "another-long-password").code(),
            Code::kNotFound);
  EXPECT_TRUE(PasswordMatches(kPassword, (*users_->Find("ann"))->password_hash));
  ASSERT_TRUE(users_->ChangePassword("ann", kPassword, "another-long-password").ok());
  EXPECT_TRUE(PasswordMatches("another-long-password", (*users_->Find("ann"))->password_hash));
}

TEST_F(StoreUserServiceTest,
       AnAccountThatOwnsWorkspacesIsNotDeletedAndOneThatDoesNotLosesItsTokens) {
  ASSERT_TRUE(users_->Create("ann", kPassword, Role::kMember).ok());
  Workspace ws;
  ws.id = NewUuidV4();
  ws.name = "anns";
  ws.image = "img";
  ws.owner = "ann";
  ASSERT_TRUE(store_->workspaces().Insert(ws).ok());
  StoreTokenService tokens(*store_, clock_, credentials_);
  ASSERT_TRUE(tokens.Create("ann", "laptop", std::nullopt).ok());

  auto refused = users_->Delete("root-admin", "ann");
  EXPECT_EQ(refused.code(), Code::kConflict);
  EXPECT_THAT(refused.message(), HasSubstr("\"anns\""));
  EXPECT_TRUE(users_->Find("ann")->has_value());

  ASSERT_TRUE(store_->workspaces().Delete(ws.id).ok());
  ASSERT_TRUE(users_->Delete("root-admin", "ann").ok());
  EXPECT_FALSE(users_->Find("ann")->has_value());
  EXPECT_TRUE(store_->tokens().List("ann")->empty());
  EXPECT_EQ(users_->Delete("root-admin", "ann").code(), Code::kNotFound);
  EXPECT_EQ(users_->Delete("root-admin", "root-admin").code(), Code::kConflict);
  ASSERT_TRUE(users_->Create("bob", kPassword, Role::kAdmin).ok());
  EXPECT_EQ(users_->Delete("bob", "bob").code(), Code::kConflict);
}

}  // namespace
}  // namespace rockpool
