#include "worker/worker.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>

#include "worker/worker_test_fixture.h"

namespace rockpool {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class WorkerTest : public WorkerTestBase {
 protected:
  Worker MakeWorker(const std::string& id = "w1") {
    return Worker(*store_, *queue_, runtime_, WorkerOptions{2, milliseconds(5), id, {}});
  }
  // Creates `name` and runs its create job to the end.
  void CreateRunning(Worker& worker, const std::string& name) {
    ASSERT_TRUE(service_->Create({name, ""}).ok());
    ASSERT_TRUE(*worker.RunOnce());
    ASSERT_EQ(Get(name).status, WorkspaceStatus::kRunning);
  }
};

TEST_F(WorkerTest, CreateRunsEveryStepThenMarksRunning) {
  Worker worker = MakeWorker();
  ASSERT_TRUE(service_->Create({"test", ""}).ok());
  auto ran = worker.RunOnce();
  ASSERT_TRUE(ran.ok() && *ran) << ran.status().ToString();
  EXPECT_THAT(runtime_.calls(), ElementsAre("Create test rockpool-workspace", "Configure test /",
                                            "Start test", "WaitHealthy test"));
  EXPECT_EQ(Get("test").status, WorkspaceStatus::kRunning);
  EXPECT_TRUE(store_->jobs().ListUnfinished()->empty());
  EXPECT_FALSE(*worker.RunOnce());
}

TEST_F(WorkerTest, ReportsEachJobAttemptForMetrics) {
  std::vector<std::string> done;
  Worker worker(*store_, *queue_, runtime_,
                WorkerOptions{0, milliseconds(5), "w1", {}, [&](std::string_view kind, double s) {
                                EXPECT_GE(s, 0.0);
                                done.emplace_back(kind);
                              }});
  worker.Start();  // zero threads: nothing runs in the background
  ASSERT_TRUE(service_->Create({"test", ""}).ok());
  ASSERT_TRUE(service_->Create({"other", ""}).ok());
  runtime_.FailOn("Create", "other", Status::Unavailable("engine down"));
  ASSERT_TRUE(*worker.RunOnce());
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_THAT(done, ElementsAre("create", "create"));  // a success and a failed attempt
  worker.Stop();
}

TEST_F(WorkerTest, StopRemovesPortForwardsBeforeStoppingInstance) {
  Worker worker = MakeWorker();
  CreateRunning(worker, "test");
  ASSERT_TRUE(service_->AddPort("test", 3000, "web").ok());
  ASSERT_TRUE(service_->AddPort("test", 5173, {}).ok());
  ASSERT_TRUE(service_->Stop("test").ok());
  runtime_.ClearCalls();
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_THAT(runtime_.calls(),
              ElementsAre("RemovePort test 3000", "RemovePort test 5173", "Stop test"));
  EXPECT_TRUE(store_->ports().List(Get("test").id)->empty());
  EXPECT_EQ(Get("test").status, WorkspaceStatus::kStopped);
  EXPECT_FALSE(runtime_.instance("test")->running);
}

TEST_F(WorkerTest, StartBringsStoppedWorkspaceBackToRunning) {
  Worker worker = MakeWorker();
  CreateRunning(worker, "test");
  ASSERT_TRUE(service_->Stop("test").ok());
  ASSERT_TRUE(*worker.RunOnce());
  ASSERT_TRUE(service_->Start("test").ok());
  runtime_.ClearCalls();
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_THAT(runtime_.calls(), ElementsAre("Start test", "WaitHealthy test"));
  EXPECT_EQ(Get("test").status, WorkspaceStatus::kRunning);
}

TEST_F(WorkerTest, DeleteRemovesPortsInstanceAndRow) {
  Worker worker = MakeWorker();
  CreateRunning(worker, "test");
  const std::string id = Get("test").id;
  ASSERT_TRUE(service_->AddPort("test", 3000, {}).ok());
  // The instance failed while ports were forwarded: error, ports still recorded.
  ASSERT_TRUE(store_->workspaces().UpdateStatus(id, WorkspaceStatus::kError, "boom").ok());
  ASSERT_TRUE(service_->Delete("test").ok());
  runtime_.ClearCalls();
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_THAT(runtime_.calls(), ElementsAre("RemovePort test 3000", "Remove test"));
  EXPECT_FALSE(Exists("test"));
  EXPECT_TRUE(store_->ports().List(id)->empty());
  EXPECT_EQ(runtime_.instance_count(), 0u);
}

TEST_F(WorkerTest, FailedCreateIsUndoneRetriedWithBackoffThenErrorWithReason) {
  Worker worker = MakeWorker();
  runtime_.FailOn("WaitHealthy", "test", Status::DeadlineExceeded("healthz: timed out"));
  ASSERT_TRUE(service_->Create({"test", ""}).ok());
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_EQ(runtime_.instance_count(), 0u);  // the reverter removed the half-made instance
  EXPECT_EQ(Get("test").status, WorkspaceStatus::kCreating);
  EXPECT_FALSE(*worker.RunOnce());  // backing off
  clock_.Advance(seconds(2));
  ASSERT_TRUE(*worker.RunOnce());
  clock_.Advance(seconds(3));
  EXPECT_FALSE(*worker.RunOnce());
  clock_.Advance(seconds(1));
  ASSERT_TRUE(*worker.RunOnce());  // third and last attempt
  Workspace ws = Get("test");
  EXPECT_EQ(ws.status, WorkspaceStatus::kError);
  EXPECT_EQ(ws.status_reason,
            "create workspace \"test\" failed after 3 attempts: healthz: timed out");
  EXPECT_EQ(CountCalls("Create "), 3u);
  EXPECT_EQ(CountCalls("Remove "), 3u);
  EXPECT_EQ(runtime_.instance_count(), 0u);
  EXPECT_TRUE(store_->jobs().ListUnfinished()->empty());
}

TEST_F(WorkerTest, TransientFailureThenSuccessEndsRunning) {
  Worker worker = MakeWorker();
  runtime_.FailOn("Start", "test", Status::Unavailable("lxd: 503"), 1);
  ASSERT_TRUE(service_->Create({"test", ""}).ok());
  ASSERT_TRUE(*worker.RunOnce());
  clock_.Advance(seconds(2));
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_EQ(Get("test").status, WorkspaceStatus::kRunning);
  EXPECT_EQ(runtime_.instance_count(), 1u);
}

TEST_F(WorkerTest, ForeignInstanceInTheWayFailsAtOnceAndIsLeftAlone) {
  Worker worker = MakeWorker();
  runtime_.PutInstance("test", {"other", true, /*rockpool=*/false, std::nullopt, {}});
  ASSERT_TRUE(service_->Create({"test", ""}).ok());
  ASSERT_TRUE(*worker.RunOnce());
  Workspace ws = Get("test");
  EXPECT_EQ(ws.status, WorkspaceStatus::kError);
  EXPECT_THAT(*ws.status_reason, HasSubstr("failed after 1 attempt: an instance named \"test\" "
                                           "exists and is not Rockpool's"));
  EXPECT_EQ(runtime_.instance("test")->image, "other");
}

TEST_F(WorkerTest, CreateCrashedMidwayConvergesWithoutDuplicateInstance) {
  ASSERT_TRUE(service_->Create({"test", ""}).ok());
  // A worker claims the job, creates the instance and dies before recording anything.
  auto dead = queue_->Claim("dead/0");
  ASSERT_TRUE(dead.ok() && *dead);
  ASSERT_TRUE(runtime_.Create("test", "rockpool-workspace", {}).ok());
  Worker worker = MakeWorker();
  EXPECT_FALSE(*worker.RunOnce());  // still leased to the dead worker
  clock_.Advance(seconds(30));      // its lease expires
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_EQ(Get("test").status, WorkspaceStatus::kRunning);
  EXPECT_EQ(runtime_.instance_count(), 1u);
  EXPECT_TRUE(runtime_.instance("test")->running);
  EXPECT_EQ(store_->jobs().Get((*dead)->id)->attempts, 2);
  // The dead worker's late result is refused.
  EXPECT_EQ(queue_->Complete(**dead).code(), Code::kConflict);
}

TEST_F(WorkerTest, JobsOfAWorkerProcessThatDiedAreTakenOverAtOnce) {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  pid_t gone = fork();  // a pid that surely no longer runs
  if (gone == 0) _exit(0);
  ASSERT_GT(gone, 0);
  waitpid(gone, nullptr, 0);
  for (const char* name : {"crashed", "alive", "elsewhere"}) {
    ASSERT_TRUE(service_->Create({name, ""}).ok());
  }
  // Lease owners are "<worker id>/<poll slot>", and a default worker id "<host>:<pid>".
  const std::string here = std::string(host) + ":";
  auto crashed = queue_->Claim(here + std::to_string(gone) + "/1");
  auto alive = queue_->Claim(here + std::to_string(getppid()) + "/0");  // still running
  auto elsewhere = queue_->Claim("other-host:" + std::to_string(gone) + "/0");
  ASSERT_TRUE(crashed.ok() && *crashed && alive.ok() && *alive && elsewhere.ok() && *elsewhere);

  Worker worker = MakeWorker("");                           // the default id
  EXPECT_EQ(worker.id(), here + std::to_string(getpid()));  // the format parsed above
  EXPECT_EQ(worker.TakeOverFromDeadWorkers(), 1);
  ASSERT_TRUE(*worker.RunOnce());   // no need to wait for the 30 s lease
  EXPECT_FALSE(*worker.RunOnce());  // the others keep their leases
  EXPECT_EQ(Get("crashed").status, WorkspaceStatus::kRunning);
  EXPECT_EQ(Get("alive").status, WorkspaceStatus::kCreating);
  EXPECT_EQ(Get("elsewhere").status, WorkspaceStatus::kCreating);
  EXPECT_EQ(worker.TakeOverFromDeadWorkers(), 0);
}

TEST_F(WorkerTest, JobWhoseWorkersKeepDyingEndsInError) {
  ASSERT_TRUE(service_->Create({"test", ""}).ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(queue_->Claim("dead/" + std::to_string(i))->has_value());
    clock_.Advance(seconds(30));
  }
  Worker worker = MakeWorker();
  ASSERT_TRUE(*worker.RunOnce());
  Workspace ws = Get("test");
  EXPECT_EQ(ws.status, WorkspaceStatus::kError);
  EXPECT_THAT(*ws.status_reason, HasSubstr("the worker running it stopped"));
  EXPECT_TRUE(runtime_.calls().empty());
}

TEST_F(WorkerTest, JobOfAVanishedWorkspaceCompletesWithoutRuntimeCalls) {
  ASSERT_TRUE(service_->Create({"test", ""}).ok());
  ASSERT_TRUE(store_->workspaces().Delete(Get("test").id).ok());
  Worker worker = MakeWorker();
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_TRUE(runtime_.calls().empty());
  EXPECT_TRUE(store_->jobs().ListUnfinished()->empty());
}

TEST_F(WorkerTest, PollLoopsOnTwoThreadsRunEveryJobExactlyOnce) {
  runtime_.DelayOn("Start", milliseconds(2));
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(service_->Create({"ws-" + std::to_string(100 + i), ""}).ok());
  Worker worker = MakeWorker();
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return CountIn(WorkspaceStatus::kRunning) == 20; }));
  worker.Stop();
  EXPECT_EQ(CountCalls("Create "), 20u);
  EXPECT_EQ(runtime_.instance_count(), 20u);
}

TEST_F(WorkerTest, WakeStartsAQueuedJobWithoutWaitingForTheNextPoll) {
  Worker worker(*store_, *queue_, runtime_, WorkerOptions{2, std::chrono::hours(1), "w1", {}});
  worker.Start();
  // Both loops found the queue empty and now wait an hour, unless woken.
  ASSERT_TRUE(Eventually([&] { return store_->jobs().ListUnfinished()->empty(); }));
  std::this_thread::sleep_for(milliseconds(50));
  ASSERT_TRUE(service_->Create({"test", ""}).ok());
  worker.Wake();
  EXPECT_TRUE(
      Eventually([&] { return Get("test").status == WorkspaceStatus::kRunning; }, seconds(5)));
  worker.Stop();  // also ends the hour-long wait
}

TEST_F(WorkerTest, TwoWorkersOnSeparateConnectionsRunEveryJobExactlyOnce) {
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(service_->Create({"ws-" + std::to_string(100 + i), ""}).ok());
  auto other_store = std::move(SqliteStore::Open(dir_.File("rockpool.db"), clock_)).value();
  JobQueue other_queue(other_store->jobs(), queue_->options());
  Worker a = MakeWorker("a");
  Worker b(*other_store, other_queue, runtime_, WorkerOptions{2, milliseconds(5), "b", {}});
  a.Start();
  b.Start();
  ASSERT_TRUE(Eventually([&] { return CountIn(WorkspaceStatus::kRunning) == 20; }));
  a.Stop();
  b.Stop();
  EXPECT_EQ(CountCalls("Create "), 20u);
}

TEST_F(WorkerTest, GracefulStopFinishesTheCurrentJob) {
  runtime_.DelayOn("WaitHealthy", milliseconds(200));
  ASSERT_TRUE(service_->Create({"test", ""}).ok());
  Worker worker = MakeWorker();
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return CountCalls("WaitHealthy") == 1; }));
  worker.Stop();
  EXPECT_EQ(Get("test").status, WorkspaceStatus::kRunning);
  EXPECT_TRUE(store_->jobs().ListUnfinished()->empty());
}

class WorkerRealClockTest : public WorkerTest {
 protected:
  SystemClock system_clock_;
};

TEST_F(WorkerRealClockTest, HeartbeatKeepsTheLeaseThroughALongStep) {
  store_ = std::move(SqliteStore::Open(dir_.File("real.db"), system_clock_)).value();
  queue_ = std::make_unique<JobQueue>(
      store_->jobs(), JobQueueOptions{milliseconds(300), 3, milliseconds(10), milliseconds(10)});
  service_ = std::make_unique<WorkspaceServiceImpl>(*store_, *queue_, runtime_);
  runtime_.DelayOn("WaitHealthy", milliseconds(1200));  // four leases long
  ASSERT_TRUE(service_->Create({"test", ""}).ok());
  Worker a = MakeWorker("a");
  Worker b = MakeWorker("b");
  a.Start();
  ASSERT_TRUE(Eventually([&] { return CountCalls("WaitHealthy") == 1; }));
  while (CountCalls("WaitHealthy") == 1 && Get("test").status == WorkspaceStatus::kCreating) {
    auto ran = b.RunOnce();
    ASSERT_TRUE(ran.ok());
    EXPECT_FALSE(*ran) << "b took a job a still holds";
    if (*ran) break;
    std::this_thread::sleep_for(milliseconds(5));  // b polls like an idle worker
  }
  ASSERT_TRUE(Eventually([&] { return Get("test").status == WorkspaceStatus::kRunning; }));
  a.Stop();
  EXPECT_EQ(CountCalls("Create "), 1u);
}

TEST_F(WorkerTest, RestoreJobRestoresTheNamedSnapshotAndLeavesTheWorkspaceStopped) {
  Worker worker = MakeWorker();
  CreateRunning(worker, "test");
  ASSERT_TRUE(service_->CreateSnapshot("test", "clean").ok());
  ASSERT_TRUE(service_->Stop("test").ok());
  ASSERT_TRUE(*worker.RunOnce());
  ASSERT_TRUE(service_->RestoreSnapshot("test", "clean").ok());
  runtime_.ClearCalls();
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_THAT(runtime_.calls(), ElementsAre("RestoreSnapshot test clean"));
  EXPECT_EQ(runtime_.instance("test")->restored_from, "clean");
  EXPECT_EQ(Get("test").status, WorkspaceStatus::kStopped);
  EXPECT_TRUE(service_->Start("test").ok());  // the restore no longer holds the workspace
}

TEST_F(WorkerTest, RestoreRunsAgainAfterItsWorkerDiedAndConverges) {
  Worker worker = MakeWorker();
  CreateRunning(worker, "test");
  ASSERT_TRUE(service_->CreateSnapshot("test", "clean").ok());
  ASSERT_TRUE(service_->Stop("test").ok());
  ASSERT_TRUE(*worker.RunOnce());
  ASSERT_TRUE(service_->RestoreSnapshot("test", "clean").ok());
  // A worker claims the job and dies before finishing it: the lease runs out.
  auto claimed = queue_->Claim("dead-worker");
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ(service_->Start("test").status().code(), Code::kConflict);
  clock_.Advance(std::chrono::seconds(31));
  runtime_.ClearCalls();
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_THAT(runtime_.calls(), ElementsAre("RestoreSnapshot test clean"));
  EXPECT_EQ(Get("test").status, WorkspaceStatus::kStopped);
  EXPECT_TRUE(store_->jobs().ListUnfinished()->empty());
}

TEST_F(WorkerTest, RestoreOfASnapshotThatWentIsAnErrorWithTheReason) {
  Worker worker = MakeWorker();
  CreateRunning(worker, "test");
  ASSERT_TRUE(service_->CreateSnapshot("test", "clean").ok());
  ASSERT_TRUE(service_->Stop("test").ok());
  ASSERT_TRUE(*worker.RunOnce());
  ASSERT_TRUE(service_->RestoreSnapshot("test", "clean").ok());
  ASSERT_TRUE(runtime_.DeleteSnapshot("test", "clean").ok());  // removed outside Rockpool
  ASSERT_TRUE(*worker.RunOnce());
  Workspace ws = Get("test");
  EXPECT_EQ(ws.status, WorkspaceStatus::kError);
  EXPECT_THAT(ws.status_reason.value_or(""), ::testing::HasSubstr("restore workspace \"test\""));
}

}  // namespace
}  // namespace rockpool
