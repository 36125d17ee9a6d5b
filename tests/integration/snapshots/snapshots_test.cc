// Snapshots of real workspaces: files come back as they were at the snapshot, the cap holds,
// and a deleted workspace leaves no snapshot behind in LXD. Run against a private Rockpool
// (scripts/harness.sh start_private); ROCKPOOL_MAX_SNAPSHOTS, when set, must be what that
// Rockpool was started with.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "e2e_support.h"

namespace rockpool::e2e {
namespace {

constexpr auto kTimeout = std::chrono::seconds(180);
constexpr char kDir[] = "/home/admin/workspace";

struct Cli {
  int exit_code = -1;
  std::string output;
};

Cli Rockpool(std::vector<std::string> args) {
  args.insert(args.begin(), kRockpool);
  auto r = RunCommand(std::move(args));
  if (!r.ok()) return {-1, r.status().ToString()};
  return {r->exit_code, r->output};
}

int MaxSnapshots() {
  const char* v = std::getenv("ROCKPOOL_MAX_SNAPSHOTS");
  return v != nullptr && *v != '\0' ? std::atoi(v) : 10;
}

// The file's content, or "<missing>".
std::string ReadFile(const std::string& instance, const std::string& file) {
  auto r =
      RunCommand({"lxc", "exec", instance, "--", "sh", "-c",
                  "cat " + std::string(kDir) + "/" + file + " 2>/dev/null || echo '<missing>'"});
  return r.ok() ? r->output : r.status().ToString();
}

// LXD's own list of the instance's snapshots; nullopt when LXD answers an error (no instance).
std::optional<std::vector<std::string>> LxdSnapshots(const std::string& instance) {
  auto r = RunCommand(
      {"lxc", "query", "/1.0/instances/" + instance + "/snapshots?project=" + Project()});
  if (!r.ok() || r->exit_code != 0) return std::nullopt;
  auto j = nlohmann::json::parse(r->output, nullptr, false);
  if (!j.is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& url : j) out.push_back(url.get<std::string>());
  return out;
}

class SnapshotsTest : public ControlPlaneTest {
 protected:
  // A running workspace of this test's own.
  std::string NewRunning() {
    const std::string name = Track(UniqueName());
    EXPECT_TRUE(api().Create(name, "").ok());
    auto ws = WaitForStatus(name, WorkspaceStatus::kRunning, kTimeout);
    EXPECT_TRUE(ws.ok() && ws->status == WorkspaceStatus::kRunning) << ServeLogTail();
    return name;
  }
  void StopAndWait(const std::string& name) {
    ASSERT_TRUE(api().Stop(name).ok());
    auto ws = WaitForStatus(name, WorkspaceStatus::kStopped, kTimeout);
    ASSERT_TRUE(ws.ok() && ws->status == WorkspaceStatus::kStopped) << ServeLogTail();
  }
};

TEST_F(SnapshotsTest, RestoreBringsFilesBackAsTheyWereAtTheSnapshot) {
  const std::string name = NewRunning();
  const std::string instance = "rp-" + name;
  ASSERT_TRUE(LxcExec(instance, std::string("cd ") + kDir +
                                    " && echo one > changed.txt && echo kept > deleted.txt")
                  .ok());
  Cli made = Rockpool({"ws", "snapshot", "create", name, "base"});
  ASSERT_EQ(made.exit_code, 0) << made.output;
  ASSERT_TRUE(LxcExec(instance, std::string("cd ") + kDir +
                                    " && echo two > changed.txt && rm deleted.txt && "
                                    "echo new > added.txt")
                  .ok());
  Cli listed = Rockpool({"ws", "snapshot", "ls", name});
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.output.find("base"), std::string::npos) << listed.output;

  Cli running = Rockpool({"ws", "snapshot", "restore", name, "base"});
  EXPECT_EQ(running.exit_code, 1);
  EXPECT_NE(running.output.find("stop it first"), std::string::npos) << running.output;

  StopAndWait(name);
  Cli restored = Rockpool({"ws", "snapshot", "restore", name, "base"});
  ASSERT_EQ(restored.exit_code, 0) << restored.output;
  // A start asked while the restore job runs is refused (409); it is accepted once it is done.
  ASSERT_TRUE(WaitUntil(
      [&] {
        return Rockpool({"ws", "start", name}).exit_code == 0;
      },
      kTimeout))
      << ServeLogTail();
  ASSERT_EQ(api().Get(name)->status, WorkspaceStatus::kRunning);
  EXPECT_EQ(IdeHealth(name), 200);
  EXPECT_EQ(ReadFile(instance, "changed.txt"), "one\n");
  EXPECT_EQ(ReadFile(instance, "deleted.txt"), "kept\n");
  EXPECT_EQ(ReadFile(instance, "added.txt"), "<missing>\n");
  EXPECT_EQ(Rockpool({"ws", "snapshot", "rm", name, "base"}).exit_code, 0);
  EXPECT_EQ(LxdSnapshots(instance), std::vector<std::string>{});
}

TEST_F(SnapshotsTest, SnapshotsBeyondTheCapAreRefusedUntilOneIsDeleted) {
  const std::string name = NewRunning();
  const int cap = MaxSnapshots();
  for (int i = 0; i < cap; ++i) {
    Cli made = Rockpool({"ws", "snapshot", "create", name, "s" + std::to_string(i)});
    ASSERT_EQ(made.exit_code, 0) << made.output;
  }
  Cli over = Rockpool({"ws", "snapshot", "create", name, "one-too-many"});
  EXPECT_EQ(over.exit_code, 1);
  EXPECT_NE(over.output.find("ROCKPOOL_MAX_SNAPSHOTS"), std::string::npos) << over.output;
  EXPECT_EQ(LxdSnapshots("rp-" + name)->size(), static_cast<size_t>(cap));
  Cli taken = Rockpool({"ws", "snapshot", "create", name, "s0"});
  EXPECT_EQ(taken.exit_code, 1);
  ASSERT_EQ(Rockpool({"ws", "snapshot", "rm", name, "s0"}).exit_code, 0);
  Cli made = Rockpool({"ws", "snapshot", "create", name});  // named after the time
  EXPECT_EQ(made.exit_code, 0) << made.output;
  Cli bad = Rockpool({"ws", "snapshot", "create", name, "Bad/Name"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("invalid snapshot name"), std::string::npos) << bad.output;
}

TEST_F(SnapshotsTest, DeletedWorkspaceLeavesNoSnapshotBehind) {
  const std::string name = NewRunning();
  const std::string instance = "rp-" + name;
  ASSERT_EQ(Rockpool({"ws", "snapshot", "create", name, "a"}).exit_code, 0);
  ASSERT_EQ(Rockpool({"ws", "snapshot", "create", name, "b"}).exit_code, 0);
  ASSERT_EQ(LxdSnapshots(instance)->size(), 2u);
  Status removed = Remove(name, kTimeout);
  ASSERT_TRUE(removed.ok()) << removed.ToString();
  EXPECT_FALSE(InstanceExists(instance));
  EXPECT_EQ(LxdSnapshots(instance), std::nullopt);
  // Nor any volume snapshot in the pool.
  auto volumes =
      RunCommand({"lxc", "storage", "volume", "list",
                  std::getenv("ROCKPOOL_POOL") ? std::getenv("ROCKPOOL_POOL") : "rockpool",
                  "--project", Project(), "--format", "csv", "-c", "n"});
  ASSERT_TRUE(volumes.ok());
  EXPECT_EQ(volumes->output.find(instance + "/"), std::string::npos) << volumes->output;
}

}  // namespace
}  // namespace rockpool::e2e
