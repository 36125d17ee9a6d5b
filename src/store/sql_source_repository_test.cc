#include "store/sql_source_repository.h"

#include <gtest/gtest.h>

#include "store/testing/test_database.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

class SqlSourceRepositoryTest : public ::testing::TestWithParam<testing::Engine> {
 protected:
  SqlSourceRepositoryTest() : db_(GetParam()) {}
  void SetUp() override {
    store_ = db_.Open(clock_);
    ASSERT_NE(store_, nullptr);
  }
  std::string NewWorkspace(const std::string& name) {
    Workspace ws{NewUuidV4(), name, WorkspaceStatus::kCreating, "img", std::nullopt, "", ""};
    EXPECT_TRUE(store_->workspaces().Insert(ws).ok());
    return ws.id;
  }
  WorkspaceSource Source(const std::string& id) {
    WorkspaceSource s;
    s.workspace_id = id;
    s.url = "https://git.example.com/team/app.git";
    s.ref = "main";
    s.username = "x-access-token";
    s.sealed_token = "v1:sealed";
    return s;
  }

  FakeClock clock_;
  testing::TestDatabase db_;
  std::unique_ptr<SqlStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Engines, SqlSourceRepositoryTest, testing::kEngines, testing::EngineName);

TEST_P(SqlSourceRepositoryTest, ASourceIsKeptWithItsWorkspaceAndGoesWithIt) {
  const std::string id = NewWorkspace("alpha");
  ASSERT_TRUE(store_->sources().Insert(Source(id)).ok());
  auto got = store_->sources().Get(id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->url, "https://git.example.com/team/app.git");
  EXPECT_EQ(got->ref, "main");
  EXPECT_EQ(got->sealed_token, "v1:sealed");
  EXPECT_EQ(got->status, SourceStatus::kPending);
  EXPECT_FALSE(got->error_kind);
  EXPECT_EQ(store_->sources().Insert(Source(id)).status().code(), Code::kAlreadyExists);
  EXPECT_EQ(store_->sources().Insert(Source("no-such-workspace")).status().code(), Code::kNotFound);

  ASSERT_TRUE(store_->workspaces().Delete(id).ok());
  EXPECT_EQ(store_->sources().Get(id).status().code(), Code::kNotFound);
}

TEST_P(SqlSourceRepositoryTest, OutcomesAreRecordedAndMoveTheRevision) {
  const std::string id = NewWorkspace("alpha");
  ASSERT_TRUE(store_->sources().Insert(Source(id)).ok());
  const int64_t before = *store_->workspaces().Revision();
  ASSERT_TRUE(store_->sources()
                  .SetOutcome(id, SourceStatus::kFailed, CloneError::kMissingRef,
                              "Remote branch nope not found")
                  .ok());
  EXPECT_GT(*store_->workspaces().Revision(), before);
  auto got = store_->sources().Get(id);
  EXPECT_EQ(got->status, SourceStatus::kFailed);
  EXPECT_EQ(got->error_kind, CloneError::kMissingRef);
  EXPECT_EQ(got->error, "Remote branch nope not found");
  ASSERT_TRUE(
      store_->sources().SetOutcome(id, SourceStatus::kCloned, std::nullopt, std::nullopt).ok());
  got = store_->sources().Get(id);
  EXPECT_EQ(got->status, SourceStatus::kCloned);
  EXPECT_FALSE(got->error_kind);
  EXPECT_FALSE(got->error);
  EXPECT_EQ(store_->sources()
                .SetOutcome("nope", SourceStatus::kCloned, std::nullopt, std::nullopt)
                .code(),
            Code::kNotFound);
}

TEST_P(SqlSourceRepositoryTest, ListReturnsTheSourcesOfTheWorkspacesAsked) {
  const std::string a = NewWorkspace("alpha"), b = NewWorkspace("bravo"),
                    c = NewWorkspace("charlie");
  ASSERT_TRUE(store_->sources().Insert(Source(a)).ok());
  ASSERT_TRUE(store_->sources().Insert(Source(c)).ok());
  auto listed = store_->sources().List({a, b});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().workspace_id, a);
  EXPECT_EQ(store_->sources().List({a, b, c})->size(), 2u);
  EXPECT_TRUE(store_->sources().List({})->empty());
}

}  // namespace
}  // namespace rockpool
