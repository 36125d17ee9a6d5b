#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <thread>

#include "store/testing/test_database.h"

namespace rockpool {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class JobStoreTest : public ::testing::TestWithParam<testing::Engine> {
 protected:
  JobStoreTest() : db_(GetParam()) {}
  void SetUp() override { store_ = Open(); }
  // Another store on the same database, as another worker would have.
  std::unique_ptr<SqlStore> Open() { return db_.Open(clock_); }

  Job Enqueue(const std::string& ws, JobKind kind = JobKind::kCreate) {
    return std::move(store_->jobs().Insert({ws, kind, 3})).value();
  }
  std::optional<Job> Claim(const std::string& owner, milliseconds lease = seconds(30)) {
    auto job = store_->jobs().Claim(owner, lease);
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    return job.ok() ? *job : std::nullopt;
  }

  FakeClock clock_;
  testing::TestDatabase db_;
  std::unique_ptr<SqlStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Engines, JobStoreTest, testing::kEngines, testing::EngineName);

TEST_P(JobStoreTest, ClaimLeasesOldestJobAndCountsAttempt) {
  Job first = Enqueue("ws-a");
  Enqueue("ws-b");
  auto job = Claim("w1");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->id, first.id);
  EXPECT_EQ(job->state, JobState::kRunning);
  EXPECT_EQ(job->lease_owner, "w1");
  EXPECT_EQ(job->lease_until, clock_.Now() + seconds(30));
  EXPECT_EQ(job->attempts, 1);
}

TEST_P(JobStoreTest, ClaimOnEmptyQueueReturnsNothing) { EXPECT_FALSE(Claim("w1")); }

TEST_P(JobStoreTest, LeasedJobIsRetakenOnlyAfterLeaseExpires) {
  Enqueue("ws-a");
  auto mine = Claim("w1");
  ASSERT_TRUE(mine);
  clock_.Advance(seconds(29));
  EXPECT_FALSE(Claim("w2"));
  clock_.Advance(seconds(1));
  auto retaken = Claim("w2");
  ASSERT_TRUE(retaken);
  EXPECT_EQ(retaken->id, mine->id);
  EXPECT_EQ(retaken->attempts, 2);
  // The first worker's lease is gone: its late results are refused.
  EXPECT_EQ(store_->jobs().Finish(mine->id, "w1", JobState::kDone, {}).code(), Code::kConflict);
  EXPECT_EQ(store_->jobs().ExtendLease(mine->id, "w1", seconds(30)).code(), Code::kConflict);
  EXPECT_TRUE(store_->jobs().Finish(mine->id, "w2", JobState::kDone, {}).ok());
  EXPECT_EQ(store_->jobs().Get(mine->id)->state, JobState::kDone);
}

TEST_P(JobStoreTest, ExtendedLeaseKeepsJobFromOthers) {
  Enqueue("ws-a");
  auto mine = Claim("w1");
  clock_.Advance(seconds(20));
  ASSERT_TRUE(store_->jobs().ExtendLease(mine->id, "w1", seconds(30)).ok());
  clock_.Advance(seconds(20));
  EXPECT_FALSE(Claim("w2"));
}

TEST_P(JobStoreTest, RequeuedJobWaitsForItsDelay) {
  Enqueue("ws-a");
  auto job = Claim("w1");
  ASSERT_TRUE(store_->jobs().Requeue(job->id, "w1", seconds(4), "boom", true).ok());
  auto stored = store_->jobs().Get(job->id);
  EXPECT_EQ(stored->state, JobState::kQueued);
  EXPECT_EQ(stored->last_error, "boom");
  EXPECT_FALSE(stored->lease_owner);
  clock_.Advance(seconds(3));
  EXPECT_FALSE(Claim("w1"));
  clock_.Advance(seconds(1));
  auto again = Claim("w1");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->attempts, 2);
}

TEST_P(JobStoreTest, ReleasedJobDoesNotCountTheAttempt) {
  Enqueue("ws-a");
  auto job = Claim("w1");
  ASSERT_TRUE(store_->jobs().Requeue(job->id, "w1", milliseconds(0), std::nullopt, false).ok());
  EXPECT_EQ(Claim("w2")->attempts, 1);
}

TEST_P(JobStoreTest, JobsOfOneWorkspaceRunOneAtATimeInOrder) {
  Job stop = Enqueue("ws-a", JobKind::kStop);
  Job del = Enqueue("ws-a", JobKind::kDelete);
  Job other = Enqueue("ws-b");
  EXPECT_EQ(Claim("w1")->id, stop.id);
  EXPECT_EQ(Claim("w2")->id, other.id);  // ws-a's delete waits for its stop
  EXPECT_FALSE(Claim("w3"));
  ASSERT_TRUE(store_->jobs().Finish(stop.id, "w1", JobState::kDone, {}).ok());
  EXPECT_EQ(Claim("w3")->id, del.id);
}

TEST_P(JobStoreTest, ListsUnfinishedJobs) {
  Job a = Enqueue("ws-a");
  Job b = Enqueue("ws-b");
  auto job = Claim("w1");
  ASSERT_TRUE(store_->jobs().Finish(job->id, "w1", JobState::kFailed, "gave up").ok());
  auto unfinished = store_->jobs().ListUnfinished();
  ASSERT_EQ(unfinished->size(), 1u);
  EXPECT_EQ(unfinished->front().id, b.id);
  EXPECT_EQ(store_->jobs().ListForWorkspace("ws-a")->front().last_error, "gave up");
  (void)a;
}

TEST_P(JobStoreTest, PruneDeletesOnlyOldFinishedJobs) {
  Enqueue("ws-a");
  auto done = Claim("w1");
  ASSERT_TRUE(store_->jobs().Finish(done->id, "w1", JobState::kDone, {}).ok());
  Job queued = Enqueue("ws-b");
  clock_.Advance(seconds(3600));
  EXPECT_EQ(*store_->jobs().PruneFinished(seconds(3601)), 0);
  EXPECT_EQ(*store_->jobs().PruneFinished(seconds(3599)), 1);
  EXPECT_EQ(store_->jobs().Get(done->id).status().code(), Code::kNotFound);
  EXPECT_TRUE(store_->jobs().Get(queued.id).ok());
}

// Claims until the queue is empty, finishing each job; returns the ids it got.
std::vector<int64_t> Drain(Store& store, const std::string& owner) {
  std::vector<int64_t> got;
  for (;;) {
    auto job = store.jobs().Claim(owner, seconds(30));
    if (!job.ok()) {
      ADD_FAILURE() << job.status().ToString();
      return got;
    }
    if (!*job) return got;
    got.push_back((*job)->id);
    if (!store.jobs().Finish((*job)->id, owner, JobState::kDone, {}).ok()) return got;
  }
}

TEST_P(JobStoreTest, TwoThreadsOnOneDatabaseNeverClaimTheSameJob) {
  for (int i = 0; i < 200; ++i) Enqueue("ws-" + std::to_string(i));
  auto other = Open();  // a second connection, as a second worker would have
  std::vector<int64_t> a, b;
  std::thread ta([&] { a = Drain(*store_, "w1"); });
  std::thread tb([&] { b = Drain(*other, "w2"); });
  ta.join();
  tb.join();
  std::set<int64_t> all(a.begin(), a.end());
  for (int64_t id : b) EXPECT_TRUE(all.insert(id).second) << "job " << id << " claimed twice";
  EXPECT_EQ(all.size(), 200u);
}

TEST_P(JobStoreTest, TwoProcessesOnOneDatabaseNeverClaimTheSameJob) {
  for (int i = 0; i < 200; ++i) Enqueue("ws-" + std::to_string(i));
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      SystemClock clock;
      auto store = OpenStore(db_.database(), clock);
      if (!store.ok()) _exit(2);
      std::ofstream out(db_.dir().File("claims-" + std::to_string(p)));
      for (int64_t id : Drain(**store, "proc-" + std::to_string(p))) out << id << "\n";
      out.close();
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::multiset<int64_t> all;
  for (int p = 0; p < 2; ++p) {
    std::ifstream in(db_.dir().File("claims-" + std::to_string(p)));
    for (int64_t id; in >> id;) all.insert(id);
  }
  EXPECT_EQ(all.size(), 200u);
  EXPECT_EQ(std::set<int64_t>(all.begin(), all.end()).size(), all.size());
  EXPECT_TRUE(store_->jobs().ListUnfinished()->empty());
}

}  // namespace
}  // namespace rockpool
