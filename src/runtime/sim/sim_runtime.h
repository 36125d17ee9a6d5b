// SimRuntime: the runtime of `rockpool serve --dev`, product code for developing the API, the
// worker and the dashboard on any machine. It runs nothing: each workspace's instance is a
// record in memory, and each step takes about as long as on a real engine (create 1.5 s, start
// 1 s, stop 0.5 s, remove 0.3 s), times `delay_scale` (0: at once, for tests). It behaves as
// runtime.h says: AlreadyExists, NotFound, idempotent Start/Stop/Remove and port changes, limits
// applied on the Start of a stopped instance. Thread-safe; the delays never hold the lock.
//
// Dev-only failure hook: `fail_start` names workspaces whose Start fails (Unavailable, as an
// engine that cannot start an instance answers) with the given message, so the dashboard's
// error display is exercised on a real control plane. RunScript runs nothing: it answers after
// SimDelays::kScript, exit 0, unless the script's RP_GIT_URL holds "fail-clone", which fails
// as git does for a repository that is not there (so the dashboard's clone errors show too).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "runtime/snapshot_book.h"

namespace rockpool {

struct SimRuntimeOptions {
  double delay_scale = 1.0;      // multiplies every simulated delay; 0: none
  std::set<std::string> images;  // what CheckImage accepts; empty: every image
  std::string socket_dir = "/nonexistent/rockpool-dev";  // names only; nothing is created
  std::map<std::string, std::string> fail_start;         // workspace name -> message of its failure
};

// How long each simulated step takes before `delay_scale`.
struct SimDelays {
  static constexpr std::chrono::milliseconds kCreate{1500};
  static constexpr std::chrono::milliseconds kStart{1000};
  static constexpr std::chrono::milliseconds kStop{500};
  static constexpr std::chrono::milliseconds kRemove{300};
  static constexpr std::chrono::milliseconds kPort{50};
  static constexpr std::chrono::milliseconds kScript{800};
};

class SimRuntime final : public Runtime {
 public:
  explicit SimRuntime(SimRuntimeOptions options = {});

  Status Create(const std::string& name, const std::string& image,
                const WorkspaceLimits& limits) override;
  Status CheckImage(const std::string& image) override;
  Status Start(const std::string& name, const WorkspaceLimits& limits) override;
  Status Stop(const std::string& name) override;
  Status Remove(const std::string& name) override;
  Result<InstanceInfo> Inspect(const std::string& name) override;
  Result<std::vector<InstanceInfo>> List() override;
  Status Configure(const std::string& name, const CodeServerConfig& config) override;
  Status WaitHealthy(const std::string& name, std::chrono::milliseconds timeout) override;
  Result<ScriptResult> RunScript(const std::string& name, const ScriptSpec& spec) override;
  Result<std::vector<SnapshotInfo>> ListSnapshots(const std::string& name) override;
  Result<SnapshotInfo> CreateSnapshot(const std::string& name,
                                      const std::string& snapshot) override;
  Status RestoreSnapshot(const std::string& name, const std::string& snapshot) override;
  Status DeleteSnapshot(const std::string& name, const std::string& snapshot) override;
  Status AddPort(const std::string& name, int port) override;
  Status RemovePort(const std::string& name, int port) override;
  std::string SocketPath(const std::string& name) const override;
  std::string PortSocketPath(const std::string& name, int port) const override;

  // The limits an instance has now (as created, or as last applied by a Start); NotFound when
  // there is no such instance. For tests and logs.
  Result<WorkspaceLimits> LimitsOf(const std::string& name) const;
  Result<std::set<int>> PortsOf(const std::string& name) const;

 private:
  enum class State { kCreating, kStopped, kStarting, kRunning, kStopping };
  struct Instance {
    State state = State::kCreating;
    std::string image;
    WorkspaceLimits limits;
    std::string base_path;
    std::set<int> ports;
    int index = 0;  // gives the instance its address
  };

  void Wait(std::chrono::milliseconds base) const;
  static InstanceInfo Info(const std::string& name, const Instance& instance);
  // REQUIRES: mu_ held.
  Result<Instance*> Find(const std::string& name, const std::string& what);

  const SimRuntimeOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Instance> instances_;
  SnapshotBook snapshots_;  // GUARDED_BY(mu_)
  int next_index_ = 1;
};

// Reads the dev-only failure hook from `spec`: "<name>=<message>", several separated by
// newlines (ROCKPOOL_DEV_FAIL_START). InvalidArgument, saying the expected form, otherwise.
Result<std::map<std::string, std::string>> ParseFailStart(const std::string& spec);

}  // namespace rockpool
