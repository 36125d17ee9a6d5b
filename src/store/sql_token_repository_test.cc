#include "store/sql_token_repository.h"

#include <gtest/gtest.h>

#include "store/testing/test_database.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

class SqlTokenRepositoryTest : public ::testing::TestWithParam<testing::Engine> {
 protected:
  SqlTokenRepositoryTest() : db_(GetParam()) {}
  void SetUp() override {
    store_ = db_.Open(clock_);
    ASSERT_NE(store_, nullptr);
  }
  ApiToken Token(const std::string& user, const std::string& name, const std::string& digest) {
    ApiToken t;
    t.id = NewUuidV4();
    t.username = user;
    t.name = name;
    t.digest = digest;
    t.created_at = "2026-01-01T00:00:0" + std::to_string(made_++) + ".000Z";  // in order made
    return t;
  }

  int made_ = 0;
  FakeClock clock_;
  testing::TestDatabase db_;
  std::unique_ptr<SqlStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Engines, SqlTokenRepositoryTest, testing::kEngines, testing::EngineName);

TEST_P(SqlTokenRepositoryTest, ATokenIsFoundByItsDigestUntilRevoked) {
  ApiToken laptop = Token("admin", "laptop", std::string(64, 'a'));
  laptop.expires_at = "2026-04-01T00:00:00.000Z";
  ASSERT_TRUE(store_->tokens().Insert(laptop).ok());
  ASSERT_TRUE(store_->tokens().Insert(Token("admin", "ci", std::string(64, 'b'))).ok());

  auto found = store_->tokens().FindByDigest(std::string(64, 'a'));
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, laptop.id);
  EXPECT_EQ((*found)->username, "admin");
  EXPECT_EQ((*found)->name, "laptop");
  EXPECT_EQ((*found)->expires_at, "2026-04-01T00:00:00.000Z");
  EXPECT_FALSE((*found)->last_used_at);

  ASSERT_TRUE(store_->tokens().SetLastUsed(laptop.id, "2026-01-02T00:00:00.000Z").ok());
  EXPECT_EQ((*store_->tokens().FindByDigest(std::string(64, 'a')))->last_used_at,
            "2026-01-02T00:00:00.000Z");

  auto missing = store_->tokens().FindByDigest(std::string(64, 'c'));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  ASSERT_TRUE(store_->tokens().Delete("admin", laptop.id).ok());
  EXPECT_FALSE(store_->tokens().FindByDigest(std::string(64, 'a'))->has_value());
  EXPECT_EQ(store_->tokens().Delete("admin", laptop.id).code(), Code::kNotFound);
  EXPECT_TRUE(store_->tokens().FindByDigest(std::string(64, 'b'))->has_value());
}

TEST_P(SqlTokenRepositoryTest, NamesAreUniquePerAccountAndAccountsSeeOnlyTheirOwn) {
  ASSERT_TRUE(store_->tokens().Insert(Token("admin", "laptop", std::string(64, 'a'))).ok());
  auto again = store_->tokens().Insert(Token("admin", "laptop", std::string(64, 'b')));
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_NE(again.status().message().find("already has a token named \"laptop\""),
            std::string::npos)
      << again.status().message();
  ASSERT_TRUE(store_->tokens().Insert(Token("alice", "laptop", std::string(64, 'c'))).ok());
  ASSERT_TRUE(store_->tokens().Insert(Token("admin", "build-server", std::string(64, 'd'))).ok());

  auto admin = store_->tokens().List("admin");
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  ASSERT_EQ(admin->size(), 2u);
  EXPECT_EQ((*admin)[0].name, "laptop");  // oldest first
  EXPECT_EQ((*admin)[1].name, "build-server");
  const std::string alice_token = (*store_->tokens().List("alice"))[0].id;
  // Another account's token is not the caller's to revoke, and stays.
  EXPECT_EQ(store_->tokens().Delete("admin", alice_token).code(), Code::kNotFound);
  EXPECT_EQ(store_->tokens().List("alice")->size(), 1u);
}

TEST_P(SqlTokenRepositoryTest, StaleSessionsAreDeletedButTokensAndLiveSessionsStay) {
  auto session = [&](const std::string& user, char digest, const std::string& expires,
                     const std::string& used) {
    ApiToken t = Token(user, "session " + std::string(1, digest), std::string(64, digest));
    t.kind = CredentialKind::kSession;
    t.expires_at = expires;
    t.last_used_at = used;
    ASSERT_TRUE(store_->tokens().Insert(t).ok());
  };
  session("ana", 'a', "2026-03-01T00:00:00.000Z", "2026-02-01T12:00:00.000Z");  // live
  session("ana", 'b', "2026-02-01T10:00:00.000Z", "2026-02-01T09:59:00.000Z");  // expired
  session("bob", 'c', "2026-03-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");  // idle
  ApiToken old_token = Token("ana", "laptop", std::string(64, 'd'));
  old_token.expires_at = "2026-01-15T00:00:00.000Z";  // an expired token stays listed
  ASSERT_TRUE(store_->tokens().Insert(old_token).ok());

  auto deleted =
      store_->tokens().DeleteStaleSessions("2026-02-01T12:00:00.000Z", "2026-02-01T06:00:00.000Z");
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, 2);
  EXPECT_TRUE(store_->tokens().FindByDigest(std::string(64, 'a'))->has_value());
  EXPECT_FALSE(store_->tokens().FindByDigest(std::string(64, 'b'))->has_value());
  EXPECT_FALSE(store_->tokens().FindByDigest(std::string(64, 'c'))->has_value());
  EXPECT_TRUE(store_->tokens().FindByDigest(std::string(64, 'd'))->has_value());
}

TEST_P(SqlTokenRepositoryTest, TokensOutliveAReopenOfTheStore) {
  ASSERT_TRUE(store_->tokens().Insert(Token("admin", "laptop", std::string(64, 'a'))).ok());
  store_.reset();
  store_ = db_.Open(clock_);
  ASSERT_NE(store_, nullptr);
  EXPECT_TRUE(store_->tokens().FindByDigest(std::string(64, 'a'))->has_value());
}

}  // namespace
}  // namespace rockpool
