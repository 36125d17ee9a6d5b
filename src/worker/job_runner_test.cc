#include "worker/job_runner.h"

#include <gmock/gmock.h>

#include "worker/worker_test_fixture.h"

namespace rockpool {
namespace {

using ::testing::ElementsAre;

class JobRunnerTest : public WorkerTestBase {
 protected:
  Workspace Seed(const std::string& name, WorkspaceStatus status) {
    return *store_->workspaces().Insert({"id-" + name, name, status, "img", std::nullopt, "", ""});
  }
  std::atomic<bool> lost_{false};
};

TEST_F(JobRunnerTest, CreateAdoptsRockpoolInstanceLeftByACrashedAttempt) {
  Workspace ws = Seed("test", WorkspaceStatus::kCreating);
  ASSERT_TRUE(runtime_.Create("test", "img", {}).ok());
  JobRunner runner(*store_, runtime_);
  ASSERT_TRUE(runner.Run(JobKind::kCreate, ws, lost_).ok());
  EXPECT_EQ(runtime_.instance_count(), 1u);
  EXPECT_TRUE(runtime_.instance("test")->running);
}

TEST_F(JobRunnerTest, CreateGivesTheInstanceTheWorkspacesLimits) {
  Workspace ws{"id-test", "test", WorkspaceStatus::kCreating,         "img", std::nullopt,
               "",        "",     WorkspaceLimits{1.5, 3072, 512, 12}};
  ws = *store_->workspaces().Insert(ws);
  JobRunner runner(*store_, runtime_);
  ASSERT_TRUE(runner.Run(JobKind::kCreate, ws, lost_).ok());
  EXPECT_EQ(runtime_.instance("test")->limits, (WorkspaceLimits{1.5, 3072, 512, 12}));
  EXPECT_EQ(runtime_.instance("test")->limit_changes, 0);
}

// A workspace created before limits existed has an instance without them: its next start
// applies the limits the store reads for it.
TEST_F(JobRunnerTest, StartAppliesLimitsToAnInstanceThatHasOthers) {
  Workspace ws = Seed("test", WorkspaceStatus::kStarting);
  FakeRuntime::Instance old{.image = "img"};
  old.limits = {8, 65536, 100000, 500};
  runtime_.PutInstance("test", old);
  JobRunner runner(*store_, runtime_);
  ASSERT_TRUE(runner.Run(JobKind::kStart, ws, lost_).ok());
  EXPECT_EQ(runtime_.instance("test")->limits, WorkspaceLimits{});
  EXPECT_EQ(runtime_.instance("test")->limit_changes, 1);
}

TEST_F(JobRunnerTest, StartThatNeverGetsHealthyStopsTheInstanceAgain) {
  Workspace ws = Seed("test", WorkspaceStatus::kStarting);
  runtime_.PutInstance("test", {"img"});
  runtime_.FailOn("WaitHealthy", "", Status::DeadlineExceeded("timed out"));
  JobRunner runner(*store_, runtime_);
  EXPECT_EQ(runner.Run(JobKind::kStart, ws, lost_).code(), Code::kDeadlineExceeded);
  EXPECT_THAT(runtime_.calls(), ElementsAre("Start test", "WaitHealthy test", "Stop test"));
  EXPECT_FALSE(runtime_.instance("test")->running);
}

TEST_F(JobRunnerTest, FailureAfterLosingTheLeaseLeavesTheInstanceToTheNewOwner) {
  Workspace ws = Seed("test", WorkspaceStatus::kCreating);
  runtime_.FailOn("WaitHealthy", "", Status::DeadlineExceeded("timed out"));
  lost_ = true;
  JobRunner runner(*store_, runtime_);
  EXPECT_FALSE(runner.Run(JobKind::kCreate, ws, lost_).ok());
  EXPECT_EQ(runtime_.instance_count(), 1u);
}

TEST_F(JobRunnerTest, StopOfVanishedInstanceIsPermanentFailure) {
  Workspace ws = Seed("test", WorkspaceStatus::kStopping);
  JobRunner runner(*store_, runtime_);
  Status st = runner.Run(JobKind::kStop, ws, lost_);
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_TRUE(JobRunner::IsPermanent(st));
  EXPECT_FALSE(JobRunner::IsPermanent(Status::Unavailable("lxd down")));
}

TEST_F(JobRunnerTest, DeleteOfAlreadyRemovedInstanceSucceeds) {
  Workspace ws = Seed("test", WorkspaceStatus::kError);
  JobRunner runner(*store_, runtime_);
  EXPECT_TRUE(runner.Run(JobKind::kDelete, ws, lost_).ok());
}

}  // namespace
}  // namespace rockpool
