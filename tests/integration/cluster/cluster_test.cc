// Rockpool against a real three-member LXD cluster on this host (tests/cluster/lxd_cluster.sh:
// each member an lxd daemon in a network namespace of its own), built for this suite and taken
// down after it.
#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "e2e_support.h"
#include "jobs/job_queue.h"
#include "proxy/fake/fake_proxy.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"
#include "worker/reconciler.h"

namespace rockpool::e2e {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

const std::string kCluster = std::string(ROCKPOOL_SOURCE_DIR) + "/tests/cluster/lxd_cluster.sh";
// A member that misses heartbeats this long is offline (LXD's lowest setting is 11 s).
constexpr int kOfflineThresholdSeconds = 11;

ProcessResult Cluster(std::vector<std::string> args) {
  args.insert(args.begin(), kCluster);
  auto r = RunCommand(args, {"RPTC_OFFLINE_THRESHOLD=" + std::to_string(kOfflineThresholdSeconds)});
  return r.ok() ? *r : ProcessResult{-1, r.status().message()};
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class ClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Cluster({"down"});  // what a killed run left
    ProcessResult up = Cluster({"up"});
    up_ = up.exit_code == 0;
    up_output_ = up.output;
  }
  static void TearDownTestSuite() {
    ProcessResult down = Cluster({"down"});
    EXPECT_EQ(down.exit_code, 0) << down.output;
  }
  void SetUp() override { ASSERT_TRUE(up_) << "the test cluster did not form:\n" << up_output_; }

  // `rockpool doctor` on the engine socket of member `i`.
  static ProcessResult Doctor(int i) {
    static const std::string sockets[] = {"", Socket(1), Socket(2), Socket(3)};
    auto r = RunCommand({ROCKPOOL_BINARY, "doctor"}, {"ROCKPOOL_INCUS_SOCKET=" + sockets[i]});
    return r.ok() ? *r : ProcessResult{-1, r.status().message()};
  }
  static std::string Socket(int i) {
    return Trimmed(Cluster({"socket", std::to_string(i)}).output);
  }
  // Polls `rockpool doctor` on member 1 until its output holds `text`; its last run in `doctor`.
  static bool DoctorSays(const std::string& text, ProcessResult& doctor) {
    return WaitUntil(
        [&] {
          doctor = Doctor(1);
          return doctor.output.find(text) != std::string::npos;
        },
        seconds(6 * kOfflineThresholdSeconds));
  }

  static bool up_;
  static std::string up_output_;
};
bool ClusterTest::up_ = false;
std::string ClusterTest::up_output_;

TEST_F(ClusterTest, DoctorShowsEveryMemberOnline) {
  ProcessResult doctor = Doctor(2);
  EXPECT_THAT(doctor.output,
              HasSubstr("ok   cluster   3 members: member1 Online, member2 Online, member3 Online"))
      << doctor.output;
}

TEST_F(ClusterTest, DoctorNamesAMemberThatStoppedAnsweringUntilItIsBack) {
  const int pid = std::atoi(Trimmed(Cluster({"pid", "3"}).output).c_str());
  ASSERT_GT(pid, 0);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  const auto killed_at = std::chrono::steady_clock::now();
  ProcessResult doctor;
  ASSERT_TRUE(DoctorSays("FAIL cluster", doctor)) << doctor.output;
  std::printf("[ measure ] member3 killed; doctor reports it offline %.1f s later\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - killed_at).count());
  EXPECT_NE(doctor.exit_code, 0);
  EXPECT_THAT(doctor.output, HasSubstr("member1 Online, member2 Online, member3 Offline (No "
                                       "heartbeat"))
      << doctor.output;
  EXPECT_THAT(doctor.output, HasSubstr("fix: start LXD again on member3")) << doctor.output;

  ProcessResult started = Cluster({"start", "3"});
  ASSERT_EQ(started.exit_code, 0) << started.output;
  EXPECT_TRUE(DoctorSays("ok   cluster   3 members", doctor)) << doctor.output;
}

// The reconciler on the cluster: a workspace records the member it lives on; when that member
// drops off the network the workspace goes to error naming it, and once the member is back the
// workspace is as its instance is. The instance is an empty one (no image to copy onto the
// members); what is tested is what the engine reports and what the reconciler makes of it.
TEST_F(ClusterTest, AWorkspaceOnALostMemberGoesToErrorAndComesBackWithIt) {
  ProcessResult made = Cluster({"lxc", "1", "init", "--empty", "rp-far", "--target", "member3",
                                "-c", std::string(incus::kLabelManaged) + "=true", "-c",
                                std::string(incus::kLabelWorkspace) + "=far"});
  ASSERT_EQ(made.exit_code, 0) << made.output;
  TempDir dir;
  SystemClock clock;
  auto store = SqliteStore::Open(dir.File("rockpool.db"), clock);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  JobQueue queue((*store)->jobs());
  FakeProxy proxy;
  incus::IncusRuntimeOptions options;
  options.socket_dir = dir.File("sockets");
  auto runtime = incus::IncusRuntime::Open(options, Socket(1));
  ASSERT_TRUE(runtime.ok()) << runtime.status().ToString();
  Reconciler reconciler(**store, queue, **runtime, proxy, ProxyConfig{}, clock);
  WorkspaceRepository& workspaces = (*store)->workspaces();
  ASSERT_TRUE(workspaces.Insert({"id-far", "far", WorkspaceStatus::kStopped, "img"}).ok());
  auto pass = reconciler.RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  EXPECT_TRUE(pass->failed.empty());
  EXPECT_EQ(workspaces.GetByName("far")->location, "member3");

  // The member's host gone from the network: its packets are dropped, nothing is refused.
  ProcessResult cut = Cluster({"cut", "3"});
  ASSERT_EQ(cut.exit_code, 0) << cut.output;
  const auto cut_at = std::chrono::steady_clock::now();
  std::string last;  // what the last pass said, for a failure message
  auto status_is = [&](WorkspaceStatus want) {
    return WaitUntil(
        [&] {
          auto r = reconciler.RunOnce();
          last = !r.ok()               ? r.status().ToString()
                 : r->problems.empty() ? "no problem"
                                       : r->problems.front();
          return workspaces.GetByName("far")->status == want;
        },
        seconds(6 * kOfflineThresholdSeconds));
  };
  ASSERT_TRUE(status_is(WorkspaceStatus::kError)) << last;
  std::printf("[ measure ] member3 cut off; its workspace shows error %.1f s later\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - cut_at).count());
  EXPECT_EQ(workspaces.GetByName("far")->status_reason, MemberLostReason("far", "member3"));

  ProcessResult mended = Cluster({"mend", "3"});
  ASSERT_EQ(mended.exit_code, 0) << mended.output;
  EXPECT_TRUE(status_is(WorkspaceStatus::kStopped)) << last;
  EXPECT_EQ(workspaces.GetByName("far")->status_reason, std::nullopt);
  ProcessResult doctor;
  EXPECT_TRUE(DoctorSays("ok   cluster   3 members", doctor)) << doctor.output;
  ProcessResult removed = Cluster({"lxc", "1", "delete", "rp-far"});
  EXPECT_EQ(removed.exit_code, 0) << removed.output;
}

}  // namespace
}  // namespace rockpool::e2e
