// The idle decision, the activity sources and the IdleStopper on a FakeClock: what counts as
// activity, when a workspace is stopped and how, and what a restart does.
#include <gmock/gmock.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>

#include "worker/activity.h"
#include "worker/idle_policy.h"
#include "worker/idle_stopper.h"
#include "worker/socket_activity.h"
#include "worker/worker.h"
#include "worker/worker_test_fixture.h"

namespace rockpool {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// --- the decision -------------------------------------------------------------------------

TEST(IdlePolicyTest, LastActivityIsTheLatestOfWhatIsKnownAndNowWhileAConnectionIsOpen) {
  const TimePoint t0 = FakeClock().Now();
  const TimePoint now = t0 + minutes(40);
  IdleInputs in{t0 + minutes(5), {}, t0};
  EXPECT_EQ(LastActivity(in, now), t0 + minutes(5));
  in.observed.last_request = t0 + minutes(20);
  EXPECT_EQ(LastActivity(in, now), t0 + minutes(20));
  in.observed.open_connections = 1;
  EXPECT_EQ(LastActivity(in, now), now);
}

TEST(IdlePolicyTest, AfterARestartEachWorkspaceGetsAWholeTimeoutFromTheRestart) {
  const TimePoint t0 = FakeClock().Now();
  const TimePoint restart = t0 + minutes(60);  // recorded 60 min ago, then the plane was down
  IdleInputs in{t0, {}, restart};
  EXPECT_EQ(LastActivity(in, restart), restart);
  EXPECT_FALSE(IsIdle(1800, LastActivity(in, restart + minutes(29)), restart + minutes(29)));
  EXPECT_TRUE(IsIdle(1800, LastActivity(in, restart + minutes(30)), restart + minutes(30)));
}

TEST(IdlePolicyTest, IdleOnceTheTimeoutHasPassedAndNeverWithZero) {
  const TimePoint t0 = FakeClock().Now();
  EXPECT_FALSE(IsIdle(60, t0, t0 + seconds(59)));
  EXPECT_TRUE(IsIdle(60, t0, t0 + seconds(60)));
  EXPECT_FALSE(IsIdle(0, t0, t0 + minutes(60 * 24 * 365)));
  EXPECT_EQ(IdleStopReason(1800), "stopped after 30 min without activity");
  EXPECT_EQ(IdleStopReason(90), "stopped after 1 min 30 s without activity");
}

// --- the sources ----------------------------------------------------------------------------

TEST(RequestActivityTest, RecordsWorkspaceRequestsUntilObservedAndIgnoresOtherUris) {
  FakeClock clock;
  RequestActivity activity(clock);
  activity.Record("/workspace/alpha/");
  clock.Advance(seconds(3));
  activity.Record("/workspace/alpha/port/3000/api?x=1");
  activity.Record("/workspace/beta?folder=/x");
  activity.Record("/app/workspaces");
  activity.Record("/workspace/Bad_Name/");
  activity.Record("/workspace/");
  auto seen = activity.Observe();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen["alpha"].last_request, clock.Now());
  EXPECT_EQ(seen["beta"].last_request, clock.Now());
  EXPECT_THAT(activity.Observe(), IsEmpty());  // reported once
}

constexpr char kTable[] =
    "Num       RefCount Protocol Flags    Type St Inode Path\n"
    // the listeners of alpha's IDE and of its port 3000: not connections
    "0000000000000001: 00000002 00000000 00010000 0001 01 101 /run/rp/sockets/alpha.sock\n"
    "0000000000000002: 00000002 00000000 00010000 0001 01 102 /run/rp/sockets/alpha.3000.sock\n"
    // two accepted connections on the IDE socket, one on the port
    "0000000000000003: 00000003 00000000 00000000 0001 03 103 /run/rp/sockets/alpha.sock\n"
    "0000000000000004: 00000003 00000000 00000000 0001 03 104 /run/rp/sockets/alpha.sock\n"
    "0000000000000005: 00000003 00000000 00000000 0001 03 105 /run/rp/sockets/alpha.3000.sock\n"
    // beta's: one, and a socket not yet connected
    "0000000000000006: 00000003 00000000 00000000 0001 03 106 /run/rp/sockets/beta-2.sock\n"
    "0000000000000007: 00000002 00000000 00000000 0001 01 107 /run/rp/sockets/beta-2.sock\n"
    // elsewhere, or not a workspace socket, or no path at all
    "0000000000000008: 00000003 00000000 00000000 0001 03 108 /run/other/alpha.sock\n"
    "0000000000000009: 00000003 00000000 00000000 0001 03 109 /run/rp/sockets/alpha.x.sock\n"
    "000000000000000a: 00000003 00000000 00000000 0001 03 110 /run/rp/sockets/sub/gamma.sock\n"
    "000000000000000b: 00000003 00000000 00000000 0001 03 111\n"
    "garbage\n";

TEST(SocketActivityTest, CountsAcceptedConnectionsPerWorkspaceNotListeners) {
  auto counts = CountSocketConnections(kTable, "/run/rp/sockets/");
  EXPECT_EQ(counts, (std::map<std::string, int>{{"alpha", 3}, {"beta-2", 1}}));
}

TEST(SocketActivityTest, ReadsTheKernelsTableWithARealConnection) {
  TempDir dir;
  const std::string path = dir.File("probe-ws.sock");
  int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  SocketActivity activity(dir.path());
  EXPECT_EQ(activity.Observe()["probe-ws"].open_connections, 0);
  int client = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  int accepted = ::accept(listener, nullptr, nullptr);
  ASSERT_GE(accepted, 0);
  EXPECT_EQ(activity.Observe()["probe-ws"].open_connections, 1);
  ::close(client);
  ::close(accepted);
  EXPECT_EQ(activity.Observe()["probe-ws"].open_connections, 0);
  ::close(listener);
}

// --- the stopper ----------------------------------------------------------------------------

class FakeActivity : public ActivitySource {
 public:
  std::map<std::string, WorkspaceActivity> next;
  std::map<std::string, WorkspaceActivity> Observe() override {
    std::map<std::string, WorkspaceActivity> out;
    out.swap(next);
    for (const auto& [name, n] : open) out[name].open_connections = n;
    return out;
  }
  std::map<std::string, int> open;  // reported at every Observe
};

class IdleStopperTest : public WorkerTestBase {
 protected:
  void SetUp() override {
    WorkerTestBase::SetUp();
    stopper_ = NewStopper();
  }
  std::unique_ptr<IdleStopper> NewStopper() {
    return std::make_unique<IdleStopper>(
        *store_, *queue_, clock_, IdleStopperOptions{seconds(5), &activity_, [&] { ++wakes_; }});
  }
  Workspace Running(const std::string& name, std::optional<int64_t> timeout = 60) {
    Workspace ws{"id-" + name, name, WorkspaceStatus::kCreating, "img", std::nullopt, "", ""};
    EXPECT_TRUE(store_->workspaces().Insert(ws).ok());
    EXPECT_TRUE(store_->workspaces().SetIdleTimeout(ws.id, timeout).ok());
    EXPECT_TRUE(store_->workspaces().UpdateStatus(ws.id, WorkspaceStatus::kRunning, {}).ok());
    runtime_.PutInstance(name, {"img", true});
    return Get(name);
  }
  IdleReport Pass() {
    auto report = stopper_->RunOnce();
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    if (report.ok()) {
      EXPECT_THAT(report->problems, IsEmpty());
    }
    return report.ok() ? *report : IdleReport{};
  }
  std::vector<JobKind> Jobs(const std::string& name) {
    std::vector<JobKind> kinds;
    auto jobs = store_->jobs().ListForWorkspace("id-" + name);
    EXPECT_TRUE(jobs.ok()) << jobs.status().ToString();
    if (jobs.ok()) {
      for (const Job& j : *jobs) kinds.push_back(j.kind);
    }
    return kinds;
  }

  FakeActivity activity_;
  int wakes_ = 0;
  std::unique_ptr<IdleStopper> stopper_;
};

TEST_F(IdleStopperTest, AnIdleWorkspaceIsStoppedThroughAStopJobWithTheReason) {
  Running("quiet");
  clock_.Advance(seconds(59));
  EXPECT_THAT(Pass().stopped, IsEmpty());
  EXPECT_EQ(Get("quiet").idle_stop_at, FormatTime(clock_.Now() + seconds(1)));
  clock_.Advance(seconds(1));
  EXPECT_THAT(Pass().stopped, ElementsAre("quiet"));
  Workspace ws = Get("quiet");
  EXPECT_EQ(ws.status, WorkspaceStatus::kStopping);
  EXPECT_EQ(ws.status_reason, "stopped after 1 min without activity");
  EXPECT_THAT(Jobs("quiet"), ElementsAre(JobKind::kStop));
  EXPECT_EQ(wakes_, 1);
  EXPECT_THAT(Pass().stopped, IsEmpty());  // asked once

  // The worker carries the stop out and keeps the reason.
  Worker worker(*store_, *queue_, runtime_, WorkerOptions{.threads = 0});
  ASSERT_TRUE(*worker.RunOnce());
  ws = Get("quiet");
  EXPECT_EQ(ws.status, WorkspaceStatus::kStopped);
  EXPECT_EQ(ws.status_reason, "stopped after 1 min without activity");
  EXPECT_EQ(ws.idle_stop_at, std::nullopt);
  // Starting it again clears the reason.
  ASSERT_TRUE(service_->Start("quiet").ok());
  EXPECT_EQ(Get("quiet").status_reason, std::nullopt);
}

TEST_F(IdleStopperTest, RequestsPostponeTheStopAndAreRecorded) {
  Running("busy");
  clock_.Advance(seconds(50));
  activity_.next["busy"].last_request = clock_.Now();
  Pass();
  EXPECT_EQ(Get("busy").last_activity_at, FormatTime(clock_.Now()));
  clock_.Advance(seconds(50));  // 100 s since start, 50 s since the request
  EXPECT_THAT(Pass().stopped, IsEmpty());
  clock_.Advance(seconds(10));
  EXPECT_THAT(Pass().stopped, ElementsAre("busy"));
}

// Of several control-plane processes, each records the activity it sees, and only the leader
// stops: the activity another process saw counts.
TEST_F(IdleStopperTest, OnlyTheLeaderStopsAndItCountsWhatTheOthersRecorded) {
  Running("shared");
  Leadership leader(store_->leases(), {.holder = "host-a:1"});
  Leadership other(store_->leases(), {.holder = "host-b:2"});
  ASSERT_TRUE(leader.Renew());
  ASSERT_FALSE(other.Renew());
  FakeActivity leader_sees, other_sees;
  IdleStopper leading(*store_, *queue_, clock_,
                      IdleStopperOptions{seconds(5), &leader_sees, {}, &leader});
  IdleStopper following(*store_, *queue_, clock_,
                        IdleStopperOptions{seconds(5), &other_sees, {}, &other});
  clock_.Advance(seconds(50));
  other_sees.next["shared"].last_request = clock_.Now();  // the request went to the other
  ASSERT_TRUE(following.RunOnce().ok());
  EXPECT_EQ(Get("shared").last_activity_at, FormatTime(clock_.Now()));
  clock_.Advance(seconds(50));
  EXPECT_THAT(leading.RunOnce()->stopped, IsEmpty());  // 50 s since that request
  clock_.Advance(seconds(10));
  EXPECT_THAT(following.RunOnce()->stopped, IsEmpty());  // idle, but not the leader's to stop
  EXPECT_EQ(Get("shared").status, WorkspaceStatus::kRunning);
  EXPECT_THAT(leading.RunOnce()->stopped, ElementsAre("shared"));
}

TEST_F(IdleStopperTest, AnOpenConnectionKeepsItRunningHoweverLongAndItsCloseStartsTheTimeout) {
  Running("ide");
  activity_.open["ide"] = 1;  // an IDE WebSocket, silent
  for (int i = 0; i < 30; ++i) {
    clock_.Advance(seconds(30));
    EXPECT_THAT(Pass().stopped, IsEmpty());
  }
  activity_.open.clear();  // the tab is closed
  const TimePoint closed_seen = clock_.Now();
  clock_.Advance(seconds(30));
  EXPECT_THAT(Pass().stopped, IsEmpty());
  EXPECT_EQ(Get("ide").last_activity_at, FormatTime(closed_seen));
  clock_.Advance(seconds(30));
  EXPECT_THAT(Pass().stopped, ElementsAre("ide"));
}

TEST_F(IdleStopperTest, ZeroNeverStopsAndOtherStatesAreLeftAlone) {
  Running("never", 0);
  Workspace stopped{"id-off", "off", WorkspaceStatus::kStopped, "img", std::nullopt, "", ""};
  ASSERT_TRUE(store_->workspaces().Insert(stopped).ok());
  clock_.Advance(minutes(60 * 24));
  EXPECT_THAT(Pass().stopped, IsEmpty());
  EXPECT_EQ(Get("never").status, WorkspaceStatus::kRunning);
  EXPECT_EQ(Get("never").idle_stop_at, std::nullopt);
  EXPECT_EQ(Get("off").status, WorkspaceStatus::kStopped);
}

TEST_F(IdleStopperTest, AWorkspaceWithAJobInProgressIsLeftToIt) {
  Running("moving");
  ASSERT_TRUE(
      store_->Transaction([&] { return queue_->Enqueue("id-moving", JobKind::kStop).status(); })
          .ok());
  clock_.Advance(minutes(5));
  EXPECT_THAT(Pass().stopped, IsEmpty());
  EXPECT_EQ(Get("moving").status, WorkspaceStatus::kRunning);
}

TEST_F(IdleStopperTest, ARestartedControlPlaneGivesAWholeTimeoutFromItsStart) {
  Running("survivor");
  clock_.Advance(minutes(10));  // the control plane was down: nothing seen, nothing recorded
  stopper_ = NewStopper();      // restart
  EXPECT_THAT(Pass().stopped, IsEmpty());
  EXPECT_EQ(Get("survivor").last_activity_at, FormatTime(clock_.Now()));
  clock_.Advance(seconds(59));
  EXPECT_THAT(Pass().stopped, IsEmpty());
  clock_.Advance(seconds(1));
  EXPECT_THAT(Pass().stopped, ElementsAre("survivor"));  // not active for ever either
}

TEST_F(IdleStopperTest, AChangedTimeoutAppliesAtTheNextPass) {
  Running("longer");
  clock_.Advance(seconds(45));
  ASSERT_TRUE(service_->SetIdleTimeout("longer", 120).ok());
  clock_.Advance(seconds(30));
  EXPECT_THAT(Pass().stopped, IsEmpty());
  clock_.Advance(seconds(45));
  EXPECT_THAT(Pass().stopped, ElementsAre("longer"));
  EXPECT_EQ(Get("longer").status_reason, "stopped after 2 min without activity");
}

TEST_F(IdleStopperTest, WithoutAnActivitySourceNothingIsStopped) {
  IdleStopper none(*store_, *queue_, clock_, IdleStopperOptions{});
  Running("unwatched");
  clock_.Advance(minutes(60));
  auto report = none.RunOnce();
  ASSERT_TRUE(report.ok());
  EXPECT_THAT(report->stopped, IsEmpty());
  none.Start();  // no thread without a source
  none.Stop();
}

TEST_F(IdleStopperTest, TheBackgroundLoopStopsAnIdleWorkspace) {
  Running("loop", 1);
  stopper_ = std::make_unique<IdleStopper>(*store_, *queue_, clock_,
                                           IdleStopperOptions{milliseconds(10), &activity_, {}});
  clock_.Advance(seconds(2));
  stopper_->Start();
  EXPECT_TRUE(Eventually([&] { return Get("loop").status == WorkspaceStatus::kStopping; }));
  stopper_->Stop();
}

}  // namespace
}  // namespace rockpool
