// `kill -9` of the control plane while ten workspaces are being created: after `rockpool up`
// brings it back, every workspace converges (running, or error with a reason) and rows,
// instances and socket files agree.
#include <signal.h>

#include <fstream>
#include <map>
#include <thread>

#include "e2e_support.h"
#include "sys/process_lock.h"

namespace rockpool::e2e {
namespace {

using std::chrono::seconds;
constexpr int kCount = 10;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The control plane holds a lock on serve.lock, which names it.
int ServePid() { return LockHolder(StateDir() + "/serve.lock"); }

bool Alive(int pid) { return kill(pid, 0) == 0; }

// Rows, instances and socket files agree; "" when they do, else what differs.
std::string Disagreement(client::ApiClient& api) {
  auto instances = ManagedInstances();
  if (!instances.ok()) return instances.status().message();
  auto rows = api.ListAll();
  if (!rows.ok()) return rows.status().message();
  std::set<std::string> names, with_instance;
  for (const auto& inst : *instances) {
    if (!inst.is_template) with_instance.insert(inst.workspace);
  }
  std::string out;
  for (const auto& ws : *rows) {
    names.insert(ws.name);
    const bool settled =
        ws.status == WorkspaceStatus::kRunning || ws.status == WorkspaceStatus::kStopped;
    if (settled && !with_instance.count(ws.name)) {
      out += "row " + ws.name + " (" + std::string(StatusName(ws.status)) + ") has no instance; ";
    }
  }
  for (const auto& inst : *instances) {
    // The reconciler keeps a spare copy of the template at any time; it has no row.
    if (!inst.is_template && !inst.is_spare && !names.count(inst.workspace)) {
      out += "instance " + inst.instance + " (workspace \"" + inst.workspace + "\") has no row; ";
    }
  }
  for (const auto& owner : SocketOwners()) {
    if (!names.count(owner)) out += "socket " + owner + ".sock has no row; ";
  }
  return out;
}

class CrashTest : public ControlPlaneTest {};

TEST_F(CrashTest, KilledDuringCreatesEveryWorkspaceConvergesAfterUp) {
  std::vector<std::string> names;
  std::map<std::string, Clock::time_point> posted;
  std::map<std::string, double> took;
  for (int i = 0; i < kCount; ++i) names.push_back(Track(UniqueName()));

  for (const auto& name : names) {
    posted[name] = Clock::now();
    auto created = api().Create(name, "");
    ASSERT_TRUE(created.ok()) << created.status().message();
  }
  auto note_running = [&](const std::vector<Workspace>& rows) {
    for (const auto& ws : rows) {
      if (posted.count(ws.name) && !took.count(ws.name) && ws.status == WorkspaceStatus::kRunning)
        took[ws.name] = Since(posted[ws.name]);
    }
  };
  // Kill as soon as the first one runs: the others are queued or half-way.
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto rows = api().ListAll();
        if (rows.ok()) note_running(*rows);
        return !took.empty();
      },
      seconds(180)))
      << "no workspace reached running\n"
      << ServeLogTail();

  const int pid = ServePid();
  ASSERT_NE(pid, 0) << "no control plane holds " << StateDir() << "/serve.lock";
  const auto killed_at = Clock::now();
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  ASSERT_TRUE(WaitUntil([&] { return !Alive(pid); }, seconds(10)));
  std::printf("[ measure ] killed serve pid %d with %zu of %d running\n", pid, took.size(), kCount);

  auto up = RunCommand({kRockpool, "up"});
  ASSERT_TRUE(up.ok()) << up.status().message();
  ASSERT_EQ(up->exit_code, 0) << up->output;
  std::printf("[ measure ] rockpool up after the crash took %.1f s\n", Since(killed_at));

  std::vector<Workspace> last;
  const bool converged = WaitUntil(
      [&] {
        auto rows = api().ListAll();
        if (!rows.ok()) return false;
        note_running(*rows);
        last.clear();
        for (const auto& ws : *rows) {
          if (posted.count(ws.name)) last.push_back(ws);
        }
        for (const auto& ws : last) {
          if (ws.status != WorkspaceStatus::kRunning && ws.status != WorkspaceStatus::kError)
            return false;
        }
        return last.size() == names.size();
      },
      seconds(360));
  std::string states;
  for (const auto& ws : last) {
    states += ws.name + "=" + std::string(StatusName(ws.status)) + " ";
    if (ws.status == WorkspaceStatus::kError) {
      EXPECT_FALSE(ws.status_reason.value_or("").empty()) << ws.name << " in error without reason";
      std::printf("[ measure ] %s error: %s\n", ws.name.c_str(),
                  ws.status_reason.value_or("").c_str());
    }
  }
  ASSERT_TRUE(converged) << "not converged within 360 s: " << states << "\n" << ServeLogTail(60);
  for (const auto& name : names) {
    if (took.count(name))
      std::printf("[ measure ] %s POST->running %.1f s\n", name.c_str(), took[name]);
  }

  std::string disagreement;
  EXPECT_TRUE(WaitUntil(
      [&] {
        disagreement = Disagreement(api());
        return disagreement.empty();
      },
      seconds(30)))
      << disagreement;
  for (const auto& ws : last) {
    if (ws.status == WorkspaceStatus::kRunning) {
      EXPECT_TRUE(InstanceExists("rp-" + ws.name)) << ws.name;
    }
  }

  // Clean up all ten now (TearDown would too) and check nothing is left.
  for (const auto& name : names) {
    auto ws = api().Get(name);
    if (ws.ok() && ws->status == WorkspaceStatus::kRunning) (void)api().Stop(name);
  }
  for (const auto& name : names) {
    Status removed = Remove(name, seconds(120));
    EXPECT_TRUE(removed.ok()) << removed.message();
    EXPECT_FALSE(InstanceExists("rp-" + name));
    EXPECT_TRUE(SocketFilesOf(name).empty()) << name;
  }
}

}  // namespace
}  // namespace rockpool::e2e
