#include "store/sql_user_repository.h"

#include <gtest/gtest.h>

#include "store/testing/test_database.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

class SqlUserRepositoryTest : public ::testing::TestWithParam<testing::Engine> {
 protected:
  SqlUserRepositoryTest() : db_(GetParam()) {}
  void SetUp() override {
    store_ = db_.Open(clock_);
    ASSERT_NE(store_, nullptr);
  }
  static User Member(const std::string& name) {
    User u;
    u.username = name;
    u.password_hash = "$argon2id$hash-of-" + name;
    return u;
  }
  Workspace OwnedBy(const std::string& name, const std::string& owner) {
    Workspace ws;
    ws.id = NewUuidV4();
    ws.name = name;
    ws.image = "img";
    ws.owner = owner;
    clock_.Advance(std::chrono::seconds(1));  // listed in the order made
    return ws;
  }

  FakeClock clock_;
  testing::TestDatabase db_;
  std::unique_ptr<SqlStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Engines, SqlUserRepositoryTest, testing::kEngines, testing::EngineName);

TEST_P(SqlUserRepositoryTest, AnAccountIsStoredFoundChangedAndDeleted) {
  User ann = Member("ann");
  auto stored = store_->users().Insert(ann);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_FALSE(stored->created_at.empty());
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(store_->users().Insert(Member("bob")).ok());

  auto taken = store_->users().Insert(Member("ann"));
  EXPECT_EQ(taken.status().code(), Code::kAlreadyExists);
  EXPECT_NE(taken.status().message().find("\"ann\" already exists"), std::string::npos);

  auto found = store_->users().Find("ann");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->password_hash, ann.password_hash);
  EXPECT_EQ((*found)->role, Role::kMember);
  EXPECT_FALSE((*found)->disabled);
  EXPECT_FALSE(store_->users().Find("carl")->has_value());

  User changed = **found;
  changed.role = Role::kAdmin;
  changed.disabled = true;
  changed.password_hash = "$argon2id$new";
  ASSERT_TRUE(store_->users().Update(changed).ok());
  auto again = store_->users().Find("ann");
  EXPECT_EQ((*again)->role, Role::kAdmin);
  EXPECT_TRUE((*again)->disabled);
  EXPECT_EQ((*again)->password_hash, "$argon2id$new");

  auto all = store_->users().List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].username, "ann");
  EXPECT_EQ((*all)[1].username, "bob");

  ASSERT_TRUE(store_->users().Delete("ann").ok());
  EXPECT_FALSE(store_->users().Find("ann")->has_value());
  EXPECT_EQ(store_->users().Delete("ann").code(), Code::kNotFound);
  EXPECT_EQ(store_->users().Update(changed).code(), Code::kNotFound);
}

TEST_P(SqlUserRepositoryTest, TheListOfOneOwnerPagesThroughOnlyItsWorkspaces) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->workspaces().Insert(OwnedBy("ann-" + std::to_string(i), "ann")).ok());
    ASSERT_TRUE(store_->workspaces().Insert(OwnedBy("bob-" + std::to_string(i), "bob")).ok());
  }
  ASSERT_TRUE(store_->workspaces().Insert(OwnedBy("old", "")).ok());

  std::vector<std::string> seen;
  std::optional<std::string> cursor;
  do {
    auto page = store_->workspaces().List(2, cursor, std::string("ann"));
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const auto& ws : page->items) {
      EXPECT_EQ(ws.owner, "ann");
      seen.push_back(ws.name);
    }
    cursor = page->next_cursor;
  } while (cursor);
  EXPECT_EQ(seen, (std::vector<std::string>{"ann-0", "ann-1", "ann-2", "ann-3", "ann-4"}));

  auto all = store_->workspaces().List(100, std::nullopt, std::nullopt);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 11u);
  EXPECT_EQ(all->items.back().owner, "");  // made before accounts: no owner
  EXPECT_TRUE(store_->workspaces().List(10, std::nullopt, std::string("carl"))->items.empty());
}

}  // namespace
}  // namespace rockpool
