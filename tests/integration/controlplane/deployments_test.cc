// Two Rockpool deployments on one LXD daemon run side by side for a whole lifecycle without
// touching each other: the suite's private Rockpool (A) and a second one (B) that this test
// brings up with scripts/harness.sh. Both have a workspace "test" and get a workspace "twin";
// whatever A does to its own, B's stay as they are, and A's reconciler, which removes an
// unknown instance in its own project (the control), leaves B's alone.
// A second test takes B through `rockpool backup`, `rockpool uninstall --purge`, `rockpool
// restore` and `rockpool up`, as an operator moving a deployment would.
#include <unistd.h>

#include <map>

#include <nlohmann/json.hpp>

#include "e2e_support.h"
#include "peer.h"
#include "store/temp_dir.h"

namespace rockpool::e2e {
namespace {

using std::chrono::seconds;

class DeploymentsTest : public ControlPlaneTest {};

TEST_F(DeploymentsTest, TwoDeploymentsOnOneDaemonLeaveEachOtherAlone) {
  Peer b;
  Status started = b.Start();
  ASSERT_TRUE(started.ok()) << started.message();
  ASSERT_NE(b.project(), Project());
  EXPECT_EQ(b.Workspaces()["test"], "running");

  // The control: an instance labelled as a workspace that A's store does not know, in A's
  // project. A's reconciler removes it after its grace period.
  const std::string orphan = "rp-orphan-" + std::to_string(getpid());
  auto made =
      RunCommand({"lxc", "init", "rockpool-workspace", orphan, "-c", "user.rockpool.managed=true",
                  "-c", "user.rockpool.workspace=orphan-" + std::to_string(getpid())});
  ASSERT_TRUE(made.ok() && made->exit_code == 0) << (made.ok() ? made->output : "");
  const auto orphan_since = Clock::now();

  // The same workspace name in both.
  const std::string twin = Track("twin-" + std::to_string(getpid()));
  auto b_twin = b.Rockpool({"ws", "create", twin});
  ASSERT_TRUE(b_twin.ok() && b_twin->exit_code == 0) << (b_twin.ok() ? b_twin->output : "");
  auto wrote =
      b.Lxc({"exec", "rp-" + twin, "--", "sh", "-c", "echo kept > /home/admin/workspace/b.txt"});
  ASSERT_TRUE(wrote.ok() && wrote->exit_code == 0) << (wrote.ok() ? wrote->output : "");
  ASSERT_TRUE(api().Create(twin, "").ok());
  auto a_twin = WaitForStatus(twin, WorkspaceStatus::kRunning, seconds(180));
  ASSERT_TRUE(a_twin.ok()) << a_twin.status().message();
  EXPECT_EQ(a_twin->status, WorkspaceStatus::kRunning);

  // A's lifecycle: a port, stop, delete. B's twin keeps running with its file.
  ASSERT_TRUE(api().AddPort(twin, 3000, std::nullopt).ok());
  ASSERT_TRUE(api().Stop(twin).ok());
  ASSERT_TRUE(WaitForStatus(twin, WorkspaceStatus::kStopped, seconds(120)).ok());
  EXPECT_EQ(b.Workspaces()[twin], "running");
  ASSERT_TRUE(Remove(twin, seconds(120)).ok());
  EXPECT_FALSE(InstanceExists("rp-" + twin)) << "A's instance is still there";

  // A's reconciler has made its sweep once the orphan is gone.
  const bool swept = WaitUntil([&] { return !InstanceExists(orphan); }, seconds(150));
  if (!swept) (void)RunCommand({"lxc", "delete", "--force", orphan});
  ASSERT_TRUE(swept) << "A's reconciler did not remove an unknown instance in its own project";
  std::printf("# A's reconciler removed the orphan after %.0f s\n",
              std::chrono::duration<double>(Clock::now() - orphan_since).count());

  auto b_view = b.Workspaces();
  EXPECT_EQ(b_view[twin], "running") << "B's twin was touched";
  EXPECT_EQ(b_view["test"], "running") << "B's workspace test was touched";
  auto kept = b.Lxc({"exec", "rp-" + twin, "--", "cat", "/home/admin/workspace/b.txt"});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->output, "kept\n");
  EXPECT_EQ(IdeHealth("test"), 200) << "A's workspace test";

  // B goes down and away; A serves on.
  auto down = b.Rockpool({"down"});
  ASSERT_TRUE(down.ok() && down->exit_code == 0) << (down.ok() ? down->output : "");
  EXPECT_EQ(IdeHealth("test"), 200) << "A's workspace test after B went down";
  auto a_list = api().ListAll();
  ASSERT_TRUE(a_list.ok());
  for (const auto& ws : *a_list) EXPECT_NE(ws.name, twin) << "B's twin appeared in A";
}

// The warm pool end to end: a control plane that keeps one booted member hands it to the next
// create (the workspace's instance is that member), its IDE answers through the proxy, and
// the pool refills itself.
TEST_F(DeploymentsTest, AWarmPoolHandsABootedInstanceToACreateAndRefills) {
  Peer b;
  Status started = b.Start({"ROCKPOOL_TEST_WARM_POOL=1"});
  ASSERT_TRUE(started.ok()) << started.message();
  auto members = [&] {
    auto r = b.Lxc({"list", "user.rockpool.warm=true", "user.rockpool.spare.ready=true", "-c", "n",
                    "--format", "csv"});
    return r.ok() && r->exit_code == 0 ? r->output : "";
  };
  std::string before;
  ASSERT_TRUE(WaitUntil([&] { return !(before = members()).empty(); }, std::chrono::seconds(120)))
      << "no warm member was made";
  before.pop_back();  // the newline

  const std::string name = "warm-" + std::to_string(getpid());
  auto created = b.Rockpool({"ws", "create", name});
  ASSERT_TRUE(created.ok() && created->exit_code == 0) << (created.ok() ? created->output : "");
  auto instance = b.Lxc({"list", "user.rockpool.workspace=" + name, "-c", "n", "--format", "csv"});
  ASSERT_TRUE(instance.ok());
  EXPECT_EQ(instance->output, before + "\n") << "the create did not claim the member";
  auto verified = b.Rockpool({"verify", name});
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->exit_code, 0)
      << "its IDE does not answer through the proxy: " << verified->output;
  auto wrote = b.Lxc({"exec", before, "--", "sh", "-c", "echo mine > /home/admin/workspace/a"});
  ASSERT_TRUE(wrote.ok() && wrote->exit_code == 0);

  std::string after;
  EXPECT_TRUE(WaitUntil(
      [&] {
        after = members();
        return !after.empty() && after != before + "\n";
      },
      std::chrono::seconds(120)))
      << "the pool was not refilled";

  auto stopped = b.Rockpool({"ws", "stop", name});
  ASSERT_TRUE(stopped.ok() && stopped->exit_code == 0) << (stopped.ok() ? stopped->output : "");
  auto deleted = b.Rockpool({"ws", "rm", name});
  ASSERT_TRUE(deleted.ok() && deleted->exit_code == 0) << (deleted.ok() ? deleted->output : "");
  EXPECT_TRUE(WaitUntil(
      [&] {
        auto gone = b.Lxc({"info", before});
        return gone.ok() && gone->exit_code != 0;
      },
      std::chrono::seconds(60)))
      << "the claimed instance outlived its workspace";
}

// What an operator runs, through the binary: a deployment backed up, purged, restored and
// brought up has its workspaces back, with their files, and serves their IDE again.
TEST_F(DeploymentsTest, ABackupBringsBackADeploymentThatWasPurged) {
  Peer b;
  Status started = b.Start();
  ASSERT_TRUE(started.ok()) << started.message();
  const std::string keep = "keep-" + std::to_string(getpid());
  auto created = b.Rockpool({"ws", "create", keep});
  ASSERT_TRUE(created.ok() && created->exit_code == 0) << (created.ok() ? created->output : "");
  auto wrote = b.Lxc(
      {"exec", "rp-" + keep, "--", "sh", "-c", "echo backed up > /home/admin/workspace/kept.txt"});
  ASSERT_TRUE(wrote.ok() && wrote->exit_code == 0) << (wrote.ok() ? wrote->output : "");

  TempDir dir;
  const std::string backup = dir.File("backup");
  auto backed = b.Rockpool({"backup", backup});
  ASSERT_TRUE(backed.ok() && backed->exit_code == 0) << (backed.ok() ? backed->output : "");
  EXPECT_NE(backed->output.find(keep), std::string::npos) << "progress names each workspace\n"
                                                          << backed->output;

  auto purged = b.Rockpool({"uninstall", "--purge"});
  ASSERT_TRUE(purged.ok() && purged->exit_code == 0) << (purged.ok() ? purged->output : "");
  EXPECT_FALSE(std::filesystem::exists(b.state_dir())) << "the state folder is still there";
  auto project = b.Lxc({"project", "show", b.project()});
  ASSERT_TRUE(project.ok());
  EXPECT_NE(project->exit_code, 0) << "the project and its instances are still there";

  auto restored = b.Rockpool({"restore", backup});
  ASSERT_TRUE(restored.ok() && restored->exit_code == 0) << (restored.ok() ? restored->output : "");
  auto up = b.Rockpool({"up"});
  ASSERT_TRUE(up.ok() && up->exit_code == 0) << (up.ok() ? up->output : "");
  auto view = b.Workspaces();
  ASSERT_EQ(view.count(keep), 1u) << "workspace " << keep << " is not back";
  EXPECT_EQ(view.count("test"), 1u) << "workspace test is not back";
  if (view[keep] != "running") {
    auto start = b.Rockpool({"ws", "start", keep});
    ASSERT_TRUE(start.ok() && start->exit_code == 0) << (start.ok() ? start->output : "");
  }
  auto kept = b.Lxc({"exec", "rp-" + keep, "--", "cat", "/home/admin/workspace/kept.txt"});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->output, "backed up\n");
  auto verified = b.Rockpool({"verify", keep});
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->exit_code, 0)
      << "its IDE does not answer through the proxy: " << verified->output;
  EXPECT_EQ(IdeHealth("test"), 200) << "A's workspace test";
}

}  // namespace
}  // namespace rockpool::e2e
