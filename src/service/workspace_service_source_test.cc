// Creating a workspace from a repository, and retrying its clone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/secret_box.h"
#include "runtime/fake/fake_runtime.h"
#include "service/workspace_service_impl.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"

namespace rockpool {
namespace {

using ::testing::HasSubstr;

class WorkspaceSourceServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteStore::Open(dir_.File("rockpool.db"), clock_)).value();
    queue_ = std::make_unique<JobQueue>(store_->jobs());
    box_ = std::move(auth::SecretBox::FromKey(std::string(32, 'k'))).value();
    WorkspaceServiceOptions options;
    options.secrets = box_.get();
    service_ = std::make_unique<WorkspaceServiceImpl>(*store_, *queue_, runtime_, options);
  }
  CreateWorkspaceRequest WithRepository(const std::string& name, SourceRequest source) {
    CreateWorkspaceRequest r{name, ""};
    r.repository = std::move(source);
    return r;
  }

  TempDir dir_;
  FakeClock clock_;
  FakeRuntime runtime_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<auth::SecretBox> box_;
  std::unique_ptr<WorkspaceServiceImpl> service_;
};

TEST_F(WorkspaceSourceServiceTest, TheRepositoryIsStoredWithTheWorkspaceAndItsTokenSealed) {
  auto ws = service_->Create(WithRepository(
      "app", {"https://git.example.com/team/app.git", "main", std::nullopt, "tok-secret-1"}));
  ASSERT_TRUE(ws.ok()) << ws.status().ToString();
  ASSERT_TRUE(ws->source);
  EXPECT_EQ(ws->source->status, SourceStatus::kPending);
  EXPECT_EQ(ws->source->username, kDefaultGitUsername);
  auto stored = store_->sources().Get(ws->id);
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->sealed_token);
  EXPECT_EQ(stored->sealed_token->find("tok-secret-1"), std::string::npos);
  EXPECT_EQ(*box_->Open(*stored->sealed_token), "tok-secret-1");
  EXPECT_EQ(service_->Get("app")->source->url, "https://git.example.com/team/app.git");
  auto page = service_->List(10, std::nullopt, std::nullopt);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_TRUE(page->items[0].source);
}

TEST_F(WorkspaceSourceServiceTest, ABadRepositoryIsRefusedAndNothingIsStored) {
  auto bad = service_->Create(WithRepository("app", {"git@github.com:a/b.git"}));
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("https://"));
  auto token_over_http = service_->Create(
      WithRepository("app", {"http://git.example.com/x", std::nullopt, std::nullopt, "t"}));
  EXPECT_EQ(token_over_http.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(service_->Create(WithRepository("app", {"https://h/x", "--upload-pack=evil"}))
                .status()
                .code(),
            Code::kInvalidArgument);
  EXPECT_TRUE(store_->workspaces().ListAll()->empty());
}

TEST_F(WorkspaceSourceServiceTest, WithoutASecretKeyATokenIsRefused) {
  WorkspaceServiceImpl keyless(*store_, *queue_, runtime_);
  auto ws =
      keyless.Create(WithRepository("app", {"https://h/x.git", std::nullopt, std::nullopt, "t"}));
  EXPECT_EQ(ws.status().code(), Code::kInternal);
  EXPECT_TRUE(store_->workspaces().ListAll()->empty());
  EXPECT_TRUE(keyless.Create(WithRepository("app", {"https://h/x.git"})).ok())
      << "a public repository needs no key";
}

TEST_F(WorkspaceSourceServiceTest, OnlyAFailedCloneOfARunningWorkspaceIsRetried) {
  auto ws = service_->Create(WithRepository("app", {"https://h/x.git"}));
  ASSERT_TRUE(ws.ok());
  auto plain = service_->Create({"plain", ""});
  ASSERT_TRUE(store_->workspaces().UpdateStatus(ws->id, WorkspaceStatus::kRunning, {}).ok());
  ASSERT_TRUE(store_->workspaces().UpdateStatus(plain->id, WorkspaceStatus::kRunning, {}).ok());
  // Finish the create jobs the way a worker would.
  for (auto job = queue_->Claim("w"); job.ok() && *job; job = queue_->Claim("w")) {
    ASSERT_TRUE(queue_->Complete(**job).ok());
  }
  EXPECT_EQ(service_->RetryClone("app").status().code(), Code::kConflict) << "still pending";
  EXPECT_EQ(service_->RetryClone("plain").status().code(), Code::kNotFound);
  ASSERT_TRUE(store_->sources()
                  .SetOutcome(ws->id, SourceStatus::kFailed, CloneError::kUnreachable, "down")
                  .ok());
  auto retried = service_->RetryClone("app");
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(retried->source->status, SourceStatus::kPending);
  EXPECT_FALSE(retried->source->error);
  auto jobs = store_->jobs().ListForWorkspace(ws->id);
  EXPECT_EQ(jobs->back().kind, JobKind::kClone);
  EXPECT_EQ(service_->RetryClone("app").status().code(), Code::kConflict) << "a job is queued";

  ASSERT_TRUE(store_->workspaces().UpdateStatus(ws->id, WorkspaceStatus::kStopped, {}).ok());
  ASSERT_TRUE(store_->sources()
                  .SetOutcome(ws->id, SourceStatus::kFailed, CloneError::kUnreachable, "down")
                  .ok());
  auto stopped = service_->RetryClone("app");
  EXPECT_EQ(stopped.status().code(), Code::kConflict);
  EXPECT_THAT(stopped.status().message(), HasSubstr("start it first"));
}

}  // namespace
}  // namespace rockpool
