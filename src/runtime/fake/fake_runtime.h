// FakeRuntime: an in-memory Runtime for tests of the layers above. It keeps instances in a
// map, records every call as a line ("Create test rockpool-workspace", "AddPort test 3000"),
// keeps the limits each instance was created or last started with, and can be told to fail or slow
// down a method, for every workspace or for one. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "runtime/snapshot_book.h"

namespace rockpool {

class FakeRuntime : public Runtime {
 public:
  struct Instance {
    std::string image;
    bool running = false;
    bool rockpool = true;  // carries Rockpool's label
    std::optional<std::string> base_path;
    std::set<int> ports;
    WorkspaceLimits limits;  // as given to Create, then to each Start of a stopped instance
    int limit_changes = 0;   // how many Starts found other limits and applied them
    std::optional<std::string> restored_from;  // the last snapshot restored
    std::string location;         // the cluster member it lives on ("" when not clustered)
    bool member_offline = false;  // its member stopped answering: listed with status Error
  };

  explicit FakeRuntime(std::string socket_dir = "/run/rockpool/sockets")
      : socket_dir_(std::move(socket_dir)) {}

  Status Create(const std::string& name, const std::string& image,
                const WorkspaceLimits& limits) override;
  // Not recorded as a call; FailOn("CheckImage", <image>, ...) makes an image missing.
  Status CheckImage(const std::string& image) override;
  // Recorded as "Prewarm <image>"; IsPrewarmed is true after it until SetPrewarmed(false).
  Status Prewarm(const std::string& image) override;
  Result<bool> IsPrewarmed(const std::string& image) override;
  void SetPrewarmed(bool prewarmed);
  // Recorded as "FillWarmPools <image>=<size> ..." (sizes in image order); makes nothing.
  Result<int> FillWarmPools(const std::map<std::string, int>& sizes, const WorkspaceLimits& limits,
                            const std::function<bool()>& busy = {}) override;
  // Answers the next RepairLimits with `answer` (later ones: nothing repaired). Not recorded
  // as a call: the reconciler asks on every pass.
  Result<std::vector<std::string>> RepairLimits() override;
  void AnswerNextRepairLimits(Result<std::vector<std::string>> answer);
  Status Start(const std::string& name, const WorkspaceLimits& limits) override;
  Status Stop(const std::string& name) override;
  Status Remove(const std::string& name) override;
  Result<InstanceInfo> Inspect(const std::string& name) override;
  Result<std::vector<InstanceInfo>> List() override;
  Status Configure(const std::string& name, const CodeServerConfig& config) override;
  Status WaitHealthy(const std::string& name, std::chrono::milliseconds timeout) override;
  // Records the script and its environment; answers what RespondToScripts set (exit 0 by
  // default). NotFound when the instance is missing, Conflict when it is stopped.
  Result<ScriptResult> RunScript(const std::string& name, const ScriptSpec& spec) override;
  // Snapshots are kept per instance; a restore is recorded in Instance::restored_from.
  Result<std::vector<SnapshotInfo>> ListSnapshots(const std::string& name) override;
  Result<SnapshotInfo> CreateSnapshot(const std::string& name,
                                      const std::string& snapshot) override;
  Status RestoreSnapshot(const std::string& name, const std::string& snapshot) override;
  Status DeleteSnapshot(const std::string& name, const std::string& snapshot) override;
  Status AddPort(const std::string& name, int port) override;
  Status RemovePort(const std::string& name, int port) override;
  std::string SocketPath(const std::string& name) const override;
  std::string PortSocketPath(const std::string& name, int port) const override;

  // --- test controls
  // Makes `method` ("Create", "Start", ...) answer `status` for workspace `name` (empty: any
  // workspace), `times` times (-1: until cleared).
  void FailOn(const std::string& method, const std::string& name, Status status, int times = -1);
  void ClearFailures();
  // Makes `method` take `delay` before it does anything.
  void DelayOn(const std::string& method, std::chrono::milliseconds delay);
  // Puts an instance in place without recording a call (drift made outside Rockpool).
  void PutInstance(const std::string& name, Instance instance);
  // Drops an instance without recording a call (it vanished outside Rockpool).
  void DropInstance(const std::string& name);
  // What the next RunScript calls answer (the last one set stays); `respond`, when set,
  // answers instead, from the script run.
  void RespondToScripts(ScriptResult result);
  std::function<ScriptResult(const ScriptSpec&)> respond;
  struct RecordedScript {
    std::string name;
    ScriptSpec spec;
  };
  std::vector<RecordedScript> scripts() const;
  void SetRunning(const std::string& name, bool running);

  std::optional<Instance> instance(const std::string& name) const;
  size_t instance_count() const;
  std::vector<std::string> calls() const;
  void ClearCalls();

 private:
  struct Failure {
    std::string method;
    std::string name;
    Status status;
    int times;
  };
  // Records the call, applies any delay, and returns the injected failure, if any.
  Status Enter(const std::string& method, const std::string& name, const std::string& line);
  static InstanceInfo Info(const std::string& name, const Instance& instance);

  const std::string socket_dir_;
  mutable std::mutex mu_;
  std::map<std::string, Instance> instances_;
  SnapshotBook snapshots_;
  std::vector<std::string> calls_;
  std::vector<RecordedScript> scripts_;
  ScriptResult script_result_{0, "", ""};
  bool prewarmed_ = false;
  std::optional<Result<std::vector<std::string>>> next_limit_repair_;
  std::vector<Failure> failures_;
  std::map<std::string, std::chrono::milliseconds> delays_;
};

}  // namespace rockpool
