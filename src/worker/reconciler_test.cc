#include "worker/reconciler.h"

#include <gmock/gmock.h>

#include "network/fake_firewall.h"
#include "proxy/fake/fake_proxy.h"
#include "worker/worker_test_fixture.h"

namespace rockpool {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ReconcilerTest : public WorkerTestBase {
 protected:
  void SetUp() override {
    WorkerTestBase::SetUp();
    config_.socket_dir = "/run/rockpool/sockets";
    ASSERT_TRUE(proxy_.Bootstrap(config_).ok());
    reconciler_ = std::make_unique<Reconciler>(
        *store_, *queue_, runtime_, proxy_, config_, clock_,
        ReconcilerOptions{seconds(5), seconds(60), seconds(300), seconds(3600)});
  }
  // A workspace in `status` with no job, and its instance (running when `running`).
  Workspace Seed(const std::string& name, WorkspaceStatus status, bool instance, bool running) {
    if (instance) runtime_.PutInstance(name, {"img", running});
    return *store_->workspaces().Insert({"id-" + name, name, status, "img", std::nullopt, "", ""});
  }
  ReconcileReport Pass() {
    auto report = reconciler_->RunOnce();
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : ReconcileReport{};
  }

  FakeProxy proxy_;
  ProxyConfig config_;
  std::unique_ptr<Reconciler> reconciler_;
};

TEST_F(ReconcilerTest, HealthyStateNeedsNoRepair) {
  Seed("up", WorkspaceStatus::kRunning, true, true);
  Seed("down", WorkspaceStatus::kStopped, true, false);
  ReconcileReport r = Pass();
  EXPECT_FALSE(r.proxy_bootstrapped);
  EXPECT_TRUE(r.failed.empty() && r.stopped.empty() && r.orphans.empty() && r.problems.empty());
  EXPECT_EQ(proxy_.bootstrap_calls().size(), 1u);
}

// Two control-plane processes on one store: only the one holding the lease reconciles, and the
// other takes over when the holder stops.
TEST_F(ReconcilerTest, OnlyTheLeadingProcessReconciles) {
  Seed("lost", WorkspaceStatus::kRunning, false, false);  // its instance vanished
  Leadership first(store_->leases(), {.holder = "host-a:1"});
  Leadership second(store_->leases(), {.holder = "host-b:2"});
  ASSERT_TRUE(first.Renew());
  EXPECT_FALSE(second.Renew());
  ReconcilerOptions options{seconds(5), seconds(60), seconds(300), seconds(3600)};
  options.leader = &second;
  Reconciler follower(*store_, *queue_, runtime_, proxy_, config_, clock_, options);
  auto skipped = follower.RunOnce();
  ASSERT_TRUE(skipped.ok());
  EXPECT_TRUE(skipped->skipped);
  EXPECT_EQ(store_->workspaces().GetByName("lost")->status, WorkspaceStatus::kRunning);
  first.Start();
  first.Stop();  // gives the lease up
  EXPECT_TRUE(second.Renew());
  auto pass = follower.RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_FALSE(pass->skipped);
  EXPECT_THAT(pass->failed, ElementsAre("lost"));
}

// A leader that dies stops renewing; another process leads once the lease has run out.
TEST_F(ReconcilerTest, ALeaseThatRunsOutPassesToTheNextProcess) {
  Leadership dead(store_->leases(), {.holder = "host-a:1", .ttl = seconds(15)});
  Leadership next(store_->leases(), {.holder = "host-b:2", .ttl = seconds(15)});
  ASSERT_TRUE(dead.Renew());
  clock_.Advance(std::chrono::milliseconds(14'000));
  EXPECT_FALSE(next.Renew());
  clock_.Advance(std::chrono::milliseconds(1'000));
  EXPECT_TRUE(next.Renew());
  EXPECT_FALSE(dead.Renew());  // it comes back and finds the lease taken
  EXPECT_FALSE(dead.held());
}

TEST_F(ReconcilerTest, EveryPassRepairsWhatWorkspaceLimitsNeed) {
  EXPECT_TRUE(Pass().limits_repaired.empty());
  runtime_.AnswerNextRepairLimits(std::vector<std::string>{"rescanned pool rockpool"});
  EXPECT_EQ(Pass().limits_repaired, std::vector<std::string>{"rescanned pool rockpool"});
  runtime_.AnswerNextRepairLimits(Status::Internal("btrfs quota rescan: no space left"));
  ReconcileReport failed = Pass();
  ASSERT_EQ(failed.problems.size(), 1u);
  EXPECT_THAT(failed.problems[0], ::testing::HasSubstr("btrfs quota rescan"));
  EXPECT_TRUE(Pass().problems.empty());
}

TEST_F(ReconcilerTest, PrewarmsOnTheSecondQuietPassThatFindsItNeeded) {
  Pass();  // the fixture's reconciler keeps no spare
  EXPECT_THAT(runtime_.calls(), ::testing::Not(::testing::Contains("Prewarm img")));
  ReconcilerOptions options{seconds(5), seconds(60), seconds(300), seconds(3600)};
  options.spare_image = "img";
  reconciler_ =
      std::make_unique<Reconciler>(*store_, *queue_, runtime_, proxy_, config_, clock_, options);
  EXPECT_FALSE(Pass().prewarmed);  // a create may just have taken the spare: wait a pass
  EXPECT_TRUE(Pass().prewarmed);
  EXPECT_THAT(runtime_.calls(), ::testing::Contains("Prewarm img"));
  EXPECT_FALSE(Pass().prewarmed);  // ready: nothing to do

  runtime_.SetPrewarmed(false);
  runtime_.FailOn("Prewarm", "img", Status::Unavailable("engine busy"), 1);
  EXPECT_FALSE(Pass().prewarmed);
  ReconcileReport failed = Pass();
  EXPECT_FALSE(failed.prewarmed);
  ASSERT_EQ(failed.problems.size(), 1u);
  EXPECT_THAT(failed.problems[0], ::testing::HasSubstr("engine busy"));
  EXPECT_TRUE(Pass().prewarmed);  // tried again on the next pass

  runtime_.SetPrewarmed(false);
  Workspace ws = Seed("busy", WorkspaceStatus::kCreating, false, false);
  ASSERT_TRUE(queue_->Enqueue(ws.id, JobKind::kCreate).ok());
  EXPECT_FALSE(Pass().prewarmed);
  EXPECT_FALSE(Pass().prewarmed) << "a job is running: do not compete with its boot";
  EXPECT_FALSE(Pass().prewarmed);
}

TEST_F(ReconcilerTest, KeepsTheWarmPoolsOnlyOnPassesWithNoJob) {
  ReconcilerOptions options{seconds(5), seconds(60), seconds(300), seconds(3600)};
  options.warm_pools = {{"img", 2}};
  reconciler_ =
      std::make_unique<Reconciler>(*store_, *queue_, runtime_, proxy_, config_, clock_, options);
  Pass();
  EXPECT_THAT(runtime_.calls(), ::testing::Contains("FillWarmPools img=2"));

  runtime_.ClearCalls();
  Workspace ws = Seed("busy", WorkspaceStatus::kCreating, false, false);
  ASSERT_TRUE(queue_->Enqueue(ws.id, JobKind::kCreate).ok());
  Pass();
  EXPECT_THAT(runtime_.calls(), ::testing::Not(::testing::Contains("FillWarmPools img=2")))
      << "a job is running: the pool waits rather than compete with its boot";
}

TEST_F(ReconcilerTest, BootstrapsProxyAgainAfterItRestarted) {
  proxy_.Restart();
  EXPECT_TRUE(Pass().proxy_bootstrapped);
  ASSERT_EQ(proxy_.bootstrap_calls().size(), 2u);
  EXPECT_EQ(proxy_.bootstrap_calls().back().socket_dir, "/run/rockpool/sockets");
  EXPECT_FALSE(Pass().proxy_bootstrapped);
}

TEST_F(ReconcilerTest, ProxyThatCannotBeReachedIsReportedAndThePassGoesOn) {
  proxy_.FailIsBootstrapped(Status::Unavailable("caddy: connection refused"));
  Seed("gone", WorkspaceStatus::kRunning, false, false);
  ReconcileReport r = Pass();
  EXPECT_THAT(r.problems, ElementsAre(HasSubstr("caddy: connection refused")));
  EXPECT_THAT(r.failed, ElementsAre("gone"));
}

TEST_F(ReconcilerTest, RestoresFirewallRulesThatWentMissing) {
  FakeFirewall firewall;
  ReconcilerOptions options{seconds(5), seconds(60), seconds(300), seconds(3600)};
  options.firewall = &firewall;
  reconciler_ =
      std::make_unique<Reconciler>(*store_, *queue_, runtime_, proxy_, config_, clock_, options);
  EXPECT_TRUE(Pass().firewall_restored);  // first pass installs them
  EXPECT_FALSE(Pass().firewall_restored);
  firewall.Remove();  // e.g. `nft flush ruleset`
  EXPECT_TRUE(Pass().firewall_restored);
  EXPECT_TRUE(firewall.in_place());
  EXPECT_EQ(firewall.installs(), 2);
  EXPECT_EQ(firewall.ensure_calls(), 3);
}

TEST_F(ReconcilerTest, FirewallThatCannotBeInstalledIsReportedAndThePassGoesOn) {
  FakeFirewall firewall;
  firewall.Fail(Status::Unavailable("firewall: nft -f exited 1"));
  ReconcilerOptions options{seconds(5), seconds(60), seconds(300), seconds(3600)};
  options.firewall = &firewall;
  reconciler_ =
      std::make_unique<Reconciler>(*store_, *queue_, runtime_, proxy_, config_, clock_, options);
  Seed("gone", WorkspaceStatus::kRunning, false, false);
  ReconcileReport r = Pass();
  EXPECT_FALSE(r.firewall_restored);
  EXPECT_THAT(r.problems, ElementsAre(HasSubstr("nft -f exited 1")));
  EXPECT_THAT(r.failed, ElementsAre("gone"));
}

TEST_F(ReconcilerTest, WorkspaceWhoseInstanceVanishedGoesToError) {
  Seed("gone", WorkspaceStatus::kRunning, false, false);
  Seed("gone-too", WorkspaceStatus::kStopped, false, false);
  EXPECT_THAT(Pass().failed, ElementsAre("gone", "gone-too"));
  Workspace ws = Get("gone");
  EXPECT_EQ(ws.status, WorkspaceStatus::kError);
  EXPECT_EQ(ws.status_reason, "the instance of workspace \"gone\" vanished from the runtime");
}

TEST_F(ReconcilerTest, RunningWorkspaceWhoseInstanceStoppedGoesToError) {
  Seed("test", WorkspaceStatus::kRunning, true, false);
  EXPECT_THAT(Pass().failed, ElementsAre("test"));
  EXPECT_THAT(*Get("test").status_reason, HasSubstr("stopped outside Rockpool"));
  EXPECT_THAT(runtime_.calls(), ElementsAre("List", "Inspect test"));  // checked again; no restart
}

// A cluster member that stops answering: the engine lists its instances with status Error.
// Its workspaces, running or stopped, go to error naming the member, without asking the
// engine about each (that would wait on the member); workspaces elsewhere are untouched.
// Once the member answers, each takes the state of its instance.
TEST_F(ReconcilerTest, WorkspacesOfALostClusterMemberGoToErrorAndComeBackWithIt) {
  auto on = [](const std::string& member, bool running) {
    return FakeRuntime::Instance{.image = "img", .running = running, .location = member};
  };
  runtime_.PutInstance("a", on("member3", true));
  runtime_.PutInstance("b", on("member3", false));
  runtime_.PutInstance("c", on("member1", true));
  ASSERT_TRUE(store_->workspaces().Insert({"id-a", "a", WorkspaceStatus::kRunning, "img"}).ok());
  ASSERT_TRUE(store_->workspaces().Insert({"id-b", "b", WorkspaceStatus::kStopped, "img"}).ok());
  ASSERT_TRUE(store_->workspaces().Insert({"id-c", "c", WorkspaceStatus::kRunning, "img"}).ok());
  ReconcileReport first = Pass();
  EXPECT_THAT(first.relocated, ElementsAre("a", "b", "c"));
  EXPECT_EQ(Get("a").location, "member3");
  EXPECT_EQ(Get("c").location, "member1");
  EXPECT_TRUE(Pass().relocated.empty());  // recorded once

  for (const char* name : {"a", "b"}) {
    auto instance = *runtime_.instance(name);
    instance.member_offline = true;
    runtime_.PutInstance(name, instance);
  }
  runtime_.ClearCalls();
  EXPECT_THAT(Pass().failed, ElementsAre("a", "b"));
  EXPECT_THAT(runtime_.calls(), ElementsAre("List"));
  EXPECT_EQ(Get("a").status, WorkspaceStatus::kError);
  EXPECT_EQ(Get("b").status, WorkspaceStatus::kError);
  EXPECT_EQ(Get("a").status_reason, MemberLostReason("a", "member3"));
  EXPECT_THAT(*Get("b").status_reason,
              HasSubstr("cluster member \"member3\", which does not answer"));
  EXPECT_EQ(Get("c").status, WorkspaceStatus::kRunning);
  EXPECT_TRUE(Pass().recovered.empty());  // still gone

  runtime_.PutInstance("a", on("member3", true));
  runtime_.PutInstance("b", on("member3", false));
  EXPECT_THAT(Pass().recovered, ElementsAre("a", "b"));
  EXPECT_EQ(Get("a").status, WorkspaceStatus::kRunning);
  EXPECT_EQ(Get("b").status, WorkspaceStatus::kStopped);
  EXPECT_EQ(Get("a").status_reason, std::nullopt);
}

// Only an error the reconciler set for a lost member clears by itself: one for a crash stays
// until the person acts.
TEST_F(ReconcilerTest, AnErrorForAnotherReasonStaysWhenTheInstanceIsFine) {
  runtime_.PutInstance("crashed", {"img", false});
  ASSERT_TRUE(store_->workspaces()
                  .Insert({"id-crashed", "crashed", WorkspaceStatus::kError, "img",
                           "the instance of workspace \"crashed\" stopped outside Rockpool"})
                  .ok());
  EXPECT_TRUE(Pass().recovered.empty());
  EXPECT_EQ(Get("crashed").status, WorkspaceStatus::kError);
}

TEST_F(ReconcilerTest, AJobThatFinishesDuringThePassIsNotMistakenForDrift) {
  // The pass lists instances first; here the create job finishes before the rows are read,
  // so the list has no instance for a row that is already running.
  struct ListedBeforeTheJobFinished final : FakeRuntime {
    Result<std::vector<InstanceInfo>> List() override { return std::vector<InstanceInfo>{}; }
  } runtime;
  runtime.PutInstance("fresh", {"img", true});
  Seed("fresh", WorkspaceStatus::kRunning, false, false);
  Reconciler reconciler(*store_, *queue_, runtime, proxy_, config_, clock_,
                        ReconcilerOptions{seconds(5), seconds(60), seconds(300), seconds(3600)});
  auto report = reconciler.RunOnce();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->failed.empty());
  EXPECT_EQ(Get("fresh").status, WorkspaceStatus::kRunning);
}

TEST_F(ReconcilerTest, StoppedWorkspaceWhoseInstanceRunsIsStopped) {
  Seed("test", WorkspaceStatus::kStopped, true, true);
  EXPECT_THAT(Pass().stopped, ElementsAre("test"));
  EXPECT_FALSE(runtime_.instance("test")->running);
  EXPECT_EQ(Get("test").status, WorkspaceStatus::kStopped);
}

TEST_F(ReconcilerTest, WorkspaceWithAJobInProgressIsLeftToTheWorker) {
  ASSERT_TRUE(service_->Create({"test", ""}).ok());  // creating, job queued, no instance yet
  Seed("busy", WorkspaceStatus::kRunning, false, false);
  ASSERT_TRUE(queue_->Enqueue("id-busy", JobKind::kStop).ok());
  clock_.Advance(seconds(600));
  ReconcileReport r = Pass();
  EXPECT_TRUE(r.failed.empty());
  EXPECT_TRUE(r.requeued.empty());
  EXPECT_EQ(Get("test").status, WorkspaceStatus::kCreating);
}

TEST_F(ReconcilerTest, OrphanInstanceIsRemovedOnlyAfterTheGracePeriod) {
  ASSERT_TRUE(runtime_.Create("ghost", "img", {}).ok());
  runtime_.PutInstance("foreign", {"img", true, /*rockpool=*/false, std::nullopt, {}});
  EXPECT_THAT(Pass().orphans, ElementsAre("ghost"));
  clock_.Advance(seconds(59));
  EXPECT_THAT(Pass().orphans, ElementsAre("ghost"));
  clock_.Advance(seconds(1));
  EXPECT_THAT(Pass().removed, ElementsAre("ghost"));
  EXPECT_FALSE(runtime_.instance("ghost"));
  EXPECT_TRUE(runtime_.instance("foreign"));  // not Rockpool's: never touched
}

// A request that crashed after committing its pending port: the socket may or may not exist.
TEST_F(ReconcilerTest, PortLeftPendingIsRevertedOnlyAfterItsGracePeriod) {
  Workspace ws = Seed("test", WorkspaceStatus::kRunning, true, true);
  ASSERT_TRUE(store_->ports().Insert({ws.id, 3000, std::nullopt, "", PortState::kPending}).ok());
  ASSERT_TRUE(runtime_.AddPort("test", 3000).ok());  // the crash came after the runtime call
  clock_.Advance(seconds(599));
  EXPECT_TRUE(Pass().ports_reverted.empty());  // its request may still be running
  EXPECT_EQ(store_->ports().List(ws.id)->size(), 1u);
  clock_.Advance(seconds(1));
  runtime_.FailOn("RemovePort", "test", Status::Unavailable("engine down"), 1);
  ReconcileReport failed = Pass();
  EXPECT_TRUE(failed.ports_reverted.empty());
  EXPECT_THAT(failed.problems, ElementsAre(HasSubstr("pending port test:3000")));
  EXPECT_EQ(store_->ports().List(ws.id)->size(), 1u);  // kept for the next pass
  EXPECT_THAT(Pass().ports_reverted, ElementsAre("test:3000"));
  EXPECT_TRUE(store_->ports().List(ws.id)->empty());
  EXPECT_TRUE(runtime_.instance("test")->ports.empty());
  EXPECT_TRUE(service_->AddPort("test", 3000, {}).ok());  // the client's retry succeeds
}

TEST_F(ReconcilerTest, InstanceThatGetsItsWorkspaceIsNoOrphan) {
  ASSERT_TRUE(runtime_.Create("late", "img", {}).ok());
  EXPECT_THAT(Pass().orphans, ElementsAre("late"));
  Seed("late", WorkspaceStatus::kStopped, false, false);
  clock_.Advance(seconds(120));
  ReconcileReport r = Pass();
  EXPECT_TRUE(r.orphans.empty());
  EXPECT_TRUE(r.removed.empty());
  EXPECT_TRUE(runtime_.instance("late"));
}

TEST_F(ReconcilerTest, WorkspaceStuckWithoutAJobGetsItsJobQueuedAgain) {
  Seed("stuck", WorkspaceStatus::kStarting, true, false);
  EXPECT_TRUE(Pass().requeued.empty());  // not stuck long enough yet
  clock_.Advance(seconds(300));
  EXPECT_THAT(Pass().requeued, ElementsAre("stuck"));
  auto jobs = store_->jobs().ListForWorkspace("id-stuck");
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ(jobs->front().kind, JobKind::kStart);
  EXPECT_TRUE(Pass().requeued.empty());  // the job is pending now
}

TEST_F(ReconcilerTest, BackgroundLoopRunsAPassAtStart) {
  proxy_.Restart();
  reconciler_->Start();
  ASSERT_TRUE(Eventually([&] { return proxy_.bootstrap_calls().size() == 2; }));
  reconciler_->Stop();
}

}  // namespace
}  // namespace rockpool
