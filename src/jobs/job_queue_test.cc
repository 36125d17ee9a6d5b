#include "jobs/job_queue.h"

#include <gtest/gtest.h>

#include "store/testing/test_database.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class JobQueueTest : public ::testing::TestWithParam<testing::Engine> {
 protected:
  JobQueueTest() : db_(GetParam()) {}
  void SetUp() override {
    store_ = db_.Open(clock_);
    ASSERT_NE(store_, nullptr);
    queue_ = std::make_unique<JobQueue>(store_->jobs(),
                                        JobQueueOptions{seconds(10), 3, seconds(2), seconds(5)});
    ws_ = *store_->workspaces().Insert(
        {NewUuidV4(), "alpha", WorkspaceStatus::kRunning, "img", std::nullopt, "", ""});
  }
  Job ClaimOne(const std::string& owner) {
    auto job = queue_->Claim(owner);
    EXPECT_TRUE(job.ok() && job->has_value());
    return job.ok() && *job ? **job : Job{};
  }

  FakeClock clock_;
  testing::TestDatabase db_;
  std::unique_ptr<SqlStore> store_;
  std::unique_ptr<JobQueue> queue_;
  Workspace ws_;
};

INSTANTIATE_TEST_SUITE_P(Engines, JobQueueTest, testing::kEngines, testing::EngineName);

TEST_P(JobQueueTest, JobEnqueuedWithStateChangeCommitsTogether) {
  ASSERT_TRUE(store_
                  ->Transaction([&]() -> Status {
                    RP_RETURN_IF_ERROR(
                        store_->workspaces().UpdateStatus(ws_.id, WorkspaceStatus::kStopping, {}));
                    return queue_->Enqueue(ws_.id, JobKind::kStop).status();
                  })
                  .ok());
  auto jobs = store_->jobs().ListUnfinished();
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ(jobs->front().kind, JobKind::kStop);
  EXPECT_EQ(jobs->front().max_attempts, 3);
}

TEST_P(JobQueueTest, BackoffDoublesUpToTheCap) {
  EXPECT_EQ(queue_->BackoffAfter(1), seconds(2));
  EXPECT_EQ(queue_->BackoffAfter(2), seconds(4));
  EXPECT_EQ(queue_->BackoffAfter(3), seconds(5));
  EXPECT_EQ(queue_->BackoffAfter(30), seconds(5));
}

TEST_P(JobQueueTest, RetriedJobComesBackAfterBackoffUntilExhausted) {
  ASSERT_TRUE(queue_->Enqueue(ws_.id, JobKind::kStart).ok());
  Job job = ClaimOne("w1");
  EXPECT_FALSE(queue_->Exhausted(job));
  ASSERT_TRUE(queue_->Retry(job, "engine down").ok());
  clock_.Advance(milliseconds(1999));
  EXPECT_FALSE(*queue_->Claim("w1"));
  clock_.Advance(milliseconds(1));
  job = ClaimOne("w1");
  EXPECT_EQ(job.attempts, 2);
  ASSERT_TRUE(queue_->Retry(job, "engine down").ok());
  clock_.Advance(seconds(4));
  job = ClaimOne("w1");
  EXPECT_TRUE(queue_->Exhausted(job));
  ASSERT_TRUE(queue_->Fail(job, "engine down").ok());
  EXPECT_EQ(store_->jobs().Get(job.id)->state, JobState::kFailed);
}

TEST_P(JobQueueTest, HeartbeatKeepsLeaseAndExpiredLeaseIsTakenOver) {
  ASSERT_TRUE(queue_->Enqueue(ws_.id, JobKind::kStart).ok());
  Job job = ClaimOne("w1");
  clock_.Advance(seconds(9));
  ASSERT_TRUE(queue_->Heartbeat(job).ok());
  clock_.Advance(seconds(9));
  EXPECT_FALSE(*queue_->Claim("w2"));
  clock_.Advance(seconds(1));
  Job taken = ClaimOne("w2");
  EXPECT_EQ(taken.id, job.id);
  EXPECT_EQ(queue_->Heartbeat(job).code(), Code::kConflict);
  EXPECT_EQ(queue_->Complete(job).code(), Code::kConflict);
  EXPECT_TRUE(queue_->Complete(taken).ok());
}

TEST_P(JobQueueTest, ReleasedJobIsClaimableAtOnceWithoutLosingAnAttempt) {
  ASSERT_TRUE(queue_->Enqueue(ws_.id, JobKind::kStart).ok());
  Job job = ClaimOne("w1");
  ASSERT_TRUE(queue_->Release(job).ok());
  EXPECT_EQ(ClaimOne("w2").attempts, 1);
}

TEST_P(JobQueueTest, JobsOfDeadOwnersAreClaimableAtOnceOthersKeepTheirLease) {
  Workspace beta = *store_->workspaces().Insert(
      {NewUuidV4(), "beta", WorkspaceStatus::kRunning, "img", std::nullopt, "", ""});
  ASSERT_TRUE(queue_->Enqueue(ws_.id, JobKind::kStop).ok());
  ASSERT_TRUE(queue_->Enqueue(beta.id, JobKind::kStop).ok());
  Job dead = ClaimOne("dead/0");
  Job alive = ClaimOne("alive/0");
  EXPECT_EQ(queue_->TakeOverFrom([](const std::string& owner) { return owner == "dead/0"; }), 1);
  Job taken = ClaimOne("new/0");  // no need to wait for the 10 s lease
  EXPECT_EQ(taken.id, dead.id);
  EXPECT_EQ(taken.attempts, 2);
  EXPECT_FALSE(*queue_->Claim("new/1"));  // the living owner keeps its job
  EXPECT_TRUE(queue_->Complete(alive).ok());
  EXPECT_EQ(queue_->TakeOverFrom([](const std::string&) { return true; }), 1);  // only `taken`
}

TEST_P(JobQueueTest, JobClaimedMoreOftenThanAllowedIsAbandoned) {
  ASSERT_TRUE(queue_->Enqueue(ws_.id, JobKind::kStart).ok());
  Job job;
  for (int i = 0; i < 4; ++i) {
    job = ClaimOne("w" + std::to_string(i));
    EXPECT_EQ(queue_->Abandoned(job), i == 3) << i;
    clock_.Advance(seconds(10));  // the lease runs out: the worker died
  }
}

}  // namespace
}  // namespace rockpool
