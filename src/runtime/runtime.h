// Runtime: the engine that runs one workspace as an isolated instance. Implementations:
// runtime/incus (the Incus/LXD REST API over the daemon's unix socket) and runtime/fake
// (records calls, for tests of the layers above). All methods are safe to call from several
// threads; every error names the workspace and what the engine said.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/limits.h"
#include "core/status.h"

namespace rockpool {

struct InstanceInfo {
  std::string name;    // workspace name (the instance carries it as a label)
  std::string status;  // the engine's word: "Running", "Stopped", ...
  bool running = false;
  std::string address;  // IPv4 on the workspace network, when known
  // The cluster member it lives on; "" when the engine is not a cluster.
  std::string location;
};

// A snapshot of a workspace's instance: its root filesystem at one moment (not its memory).
struct SnapshotInfo {
  std::string name;
  std::string created_at;  // RFC 3339, UTC
};

// What code-server inside a workspace needs to know; written before start and on change.
struct CodeServerConfig {
  std::string base_path;  // the path it is served under, after the proxy stripped its prefix
};

// code-server is served at its root behind every workspace URL: it computes its URLs relative
// to each request, so one config serves any workspace, and a booted instance can become a
// workspace without a restart (the warm pool).
inline constexpr char kCodeServerBasePath[] = "/";

// A script to run in a workspace with /bin/sh, in the home folder of `user`: the workspace's
// user (the one code-server runs as) or root, whose processes the workspace's user can neither
// read nor trace: a secret in `env` given to a root script stays out of reach of code the
// workspace's user runs. Secrets go in `env`, never in the script.
struct ScriptSpec {
  enum class User { kWorkspace, kRoot };
  std::string script;
  std::map<std::string, std::string> env;
  std::chrono::seconds timeout{600};  // then killed (exit code 124)
  User user = User::kWorkspace;
};

// A script run in a workspace: its exit code and what it wrote.
struct ScriptResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class Runtime {
 public:
  virtual ~Runtime() = default;

  // Creates the workspace's instance from `image`, labelled as Rockpool's, with `limits` and a
  // host unix socket (SocketPath) that reaches code-server once started. Does not start it.
  // AlreadyExists if an instance of that name exists; NotFound if the image is missing.
  virtual Status Create(const std::string& name, const std::string& image,
                        const WorkspaceLimits& limits) = 0;
  // Ok when Create can use `image`; NotFound, saying how to build it, when it is missing.
  virtual Status CheckImage(const std::string& image) = 0;
  // Readies what makes the next Create from `image` fast (a runtime may keep a spare copy);
  // idempotent and cheap when all is ready. Runtimes with nothing to ready answer Ok.
  virtual Status Prewarm(const std::string& /*image*/) { return Status::Ok(); }
  // Whether Prewarm has nothing left to do for `image`.
  virtual Result<bool> IsPrewarmed(const std::string& /*image*/) { return true; }
  // Keeps the warm pools: for each image in `sizes`, that many booted instances with
  // code-server up (made with `limits`), which Create claims instead of booting one. Makes at
  // most one member per call (it takes seconds); removes the members beyond a size and those
  // of images not in `sizes` or of an image's earlier builds. Returns how many it made.
  // While `busy` answers true (a workspace is being created or started), it waits before each
  // step that makes the engine work hard, so a member never slows a workspace down.
  // Runtimes without a pool answer 0.
  virtual Result<int> FillWarmPools(const std::map<std::string, int>& /*sizes*/,
                                    const WorkspaceLimits& /*limits*/,
                                    const std::function<bool()>& /*busy*/ = {}) {
    return 0;
  }
  // Repairs what the engine needs for workspace limits to hold (the incus runtime: btrfs quota
  // accounting the kernel marked inconsistent); cheap when nothing needs it. Returns what it
  // repaired, each as a line for the log.
  virtual Result<std::vector<std::string>> RepairLimits() { return std::vector<std::string>{}; }
  // Idempotent: starting a running instance or stopping a stopped one is ok. A stopped
  // instance whose limits differ from `limits` gets them first (a running one keeps its own).
  virtual Status Start(const std::string& name, const WorkspaceLimits& limits) = 0;
  virtual Status Stop(const std::string& name) = 0;
  // Stops if needed and deletes the instance and every host socket of the workspace.
  // Ok if nothing is there.
  virtual Status Remove(const std::string& name) = 0;
  // NotFound when there is no such instance.
  virtual Result<InstanceInfo> Inspect(const std::string& name) = 0;
  // Every instance labelled as Rockpool's. An instance on a cluster member that does not
  // answer is listed with status "Error", not running, and its location, under the workspace
  // it belongs to as far as the runtime can tell (the engine no longer says).
  virtual Result<std::vector<InstanceInfo>> List() = 0;
  // Writes code-server's config; restarts code-server when the instance is running.
  virtual Status Configure(const std::string& name, const CodeServerConfig& config) = 0;
  // Polls code-server's /healthz through the host socket until it answers 200.
  virtual Status WaitHealthy(const std::string& name, std::chrono::milliseconds timeout) = 0;
  // Start, then WaitHealthy. A runtime may poll while the start is still being finished.
  virtual Status StartAndWaitHealthy(const std::string& name, const WorkspaceLimits& limits,
                                     std::chrono::milliseconds timeout) {
    RP_RETURN_IF_ERROR(Start(name, limits));
    return WaitHealthy(name, timeout);
  }
  // Runs `spec` in the running instance. Errors are the engine's; a script that fails is a
  // result. Runtimes that cannot run commands answer Unavailable.
  virtual Result<ScriptResult> RunScript(const std::string& name, const ScriptSpec& /*spec*/) {
    return Status::Unavailable("workspace \"" + name +
                               "\": this runtime cannot run commands in a workspace");
  }
  // Adds / removes the host socket that reaches `port` inside the running instance.
  virtual Status AddPort(const std::string& name, int port) = 0;
  virtual Status RemovePort(const std::string& name, int port) = 0;

  // Snapshots of the workspace's instance, oldest first. Runtimes without snapshots answer
  // Unimplemented, naming themselves. NotFound when there is no such instance.
  virtual Result<std::vector<SnapshotInfo>> ListSnapshots(const std::string& /*name*/) {
    return Status(Code::kUnimplemented, "this runtime does not support snapshots");
  }
  // Snapshots the instance, running or stopped. AlreadyExists when the name is taken.
  virtual Result<SnapshotInfo> CreateSnapshot(const std::string& /*name*/,
                                              const std::string& /*snapshot*/) {
    return Status(Code::kUnimplemented, "this runtime does not support snapshots");
  }
  // Puts the stopped instance's filesystem back as it was at `snapshot`; idempotent.
  // NotFound when the snapshot is missing; Conflict when the instance is running.
  virtual Status RestoreSnapshot(const std::string& /*name*/, const std::string& /*snapshot*/) {
    return Status(Code::kUnimplemented, "this runtime does not support snapshots");
  }
  // NotFound when the snapshot is missing.
  virtual Status DeleteSnapshot(const std::string& /*name*/, const std::string& /*snapshot*/) {
    return Status(Code::kUnimplemented, "this runtime does not support snapshots");
  }

  // Host socket paths the proxy dials: <dir>/<name>.sock and <dir>/<name>.<port>.sock
  // (sockets/workspace_sockets.h names them).
  virtual std::string SocketPath(const std::string& name) const = 0;
  virtual std::string PortSocketPath(const std::string& name, int port) const = 0;
};

}  // namespace rockpool
