// IncusRuntime: workspaces as unprivileged system containers on an Incus or LXD daemon.
//
// A workspace is an instance labelled with its name (kLabelWorkspace): "rp-<name>"
// (instance_names.h) when it was copied or renamed for it, or a warm pool member "rpw-..."
// that it claimed while running; InstanceOf finds either. Copies come from a per-image
// template instance that was started once (so its filesystem is already uid-shifted: a copy
// is a btrfs snapshot and starts without remapping). code-server and forwarded ports are
// reached through `proxy` devices that listen on host unix sockets in `socket_dir`, so the
// proxy in front never changes configuration.
//
// The warm pool (FillWarmPools): members are copies of the template that run, with
// code-server up behind a socket named for the member (WarmSocketFile), which the proxy
// never routes. Create claims one with a single PATCH under the member's ETag (labels, and
// limits when they differ) and renames its socket file to the workspace's: the listening
// socket is the same, so the IDE answers at once. code-server needs no per-workspace setting
// (it computes its URLs relative to each request), so it is not restarted. Each member boots
// once from the template (whose machine-id is empty) and is claimed once: its machine-id,
// code-server's state, logs and temp files are its own, made after it was copied.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/client.h"
#include "runtime/incus/exec.h"
#include "runtime/incus/incus_client.h"
#include "runtime/incus/instances.h"
#include "runtime/incus/limits.h"
#include "runtime/incus/quota_accounting.h"
#include "runtime/runtime.h"

namespace rockpool::incus {

struct IncusRuntimeOptions {
  std::string socket_dir = "/var/lib/rockpool/sockets";
  std::vector<std::string> profiles = {"default"};
  // The storage pool of the workspaces' root disks, which carry the disk limit; empty: the
  // pool of the profiles' root disk, read once.
  std::string storage_pool;
  // Owner and mode of the host sockets the proxy connects to.
  int socket_uid = 0;
  int socket_gid = 0;
  std::string socket_mode = "0660";
  int code_server_port = 8080;
  // How long Stop lets systemd shut down before forcing.
  std::chrono::seconds stop_grace{5};
  // Upper bound for create, start, delete and exec operations.
  std::chrono::seconds operation_timeout{120};
  std::chrono::milliseconds health_poll_interval{50};
  // The daemon's socket; Open sets it. Its folder holds the instances' root file systems.
  std::string engine_socket;
  // What code-server reads as it starts and serves its first page (paths inside an instance):
  // Prewarm reads them into the page cache from the host for the spare's first boot.
  std::vector<std::string> warm_paths = {"usr/local/bin/node", "opt/code-server"};
  // Workspace isolation (hardening.h): the managed bridge each workspace's eth0 joins, with
  // port isolation and anti-spoofing, and whether each gets a host id range of its own.
  std::string network = "rpbr0";
  bool isolated_idmap = true;
  // The LXD project the instances live in (projects.h); empty: the default project.
  std::string project;
};

// Makes the HTTP client WaitHealthy uses to reach a host socket.
using SocketClientFactory = std::function<std::unique_ptr<HttpClient>(const std::string& path)>;

class IncusRuntime final : public Runtime {
 public:
  // On the real daemon at `socket_path` (DetectSocket() when empty). Creates socket_dir.
  static Result<std::unique_ptr<IncusRuntime>> Open(IncusRuntimeOptions options,
                                                    std::string socket_path = "");
  IncusRuntime(std::shared_ptr<IncusClient> client, IncusRuntimeOptions options,
               SocketClientFactory socket_clients);

  Status Create(const std::string& name, const std::string& image,
                const WorkspaceLimits& limits) override;
  Status CheckImage(const std::string& image) override;
  // Keeps one stopped copy of the image's template ("rps-<fp12>"); Create renames it into the
  // workspace instead of copying, which takes a tenth of the time.
  Status Prewarm(const std::string& image) override;
  Result<bool> IsPrewarmed(const std::string& image) override;
  Result<int> FillWarmPools(const std::map<std::string, int>& sizes, const WorkspaceLimits& limits,
                            const std::function<bool()>& busy = {}) override;
  // The instance of workspace `name`: the one labelled with it, else "rp-<name>" (which may
  // not exist). Remembered; checked against the engine at every call.
  Result<std::string> InstanceOf(const std::string& name);
  // A line for each pool whose quota accounting it rescanned (runtime/incus/quota_accounting.h).
  Result<std::vector<std::string>> RepairLimits() override;
  Status Start(const std::string& name, const WorkspaceLimits& limits) override;
  Status Stop(const std::string& name) override;
  Status Remove(const std::string& name) override;
  Result<InstanceInfo> Inspect(const std::string& name) override;
  Result<std::vector<InstanceInfo>> List() override;
  Status Configure(const std::string& name, const CodeServerConfig& config) override;
  Status WaitHealthy(const std::string& name, std::chrono::milliseconds timeout) override;
  // Asks for the start and polls /healthz at once, failing early if the start fails; Ok
  // before the daemon has finished the start, which any later call on the instance awaits.
  Status StartAndWaitHealthy(const std::string& name, const WorkspaceLimits& limits,
                             std::chrono::milliseconds timeout) override;
  // Runs a command inside the workspace's instance as root; its exit code and output. Not
  // part of Runtime: nothing above the runtime runs commands in a workspace, and the tests of
  // this adapter use it to look inside.
  Result<ExecResult> Exec(const std::string& name, const std::vector<std::string>& argv);
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

  // Makes sure the template for the image `image` (an alias) points at exists and is ready.
  // Idempotent; Create calls it when the template is missing. Returns the template's name.
  Result<std::string> PrepareTemplate(const std::string& image);
  // Deletes the templates and spares made from earlier images of the alias `image` (not the
  // current one).
  Status PruneTemplates(const std::string& image);

 private:
  std::mutex& LockFor(const std::string& instance);
  std::string WorkspaceOnLostMember(const Instance& instance);
  Result<std::string> ResolveImage(const std::string& image, const std::string& context);
  Result<std::string> EnsureTemplate(const std::string& alias, const std::string& fingerprint);
  Result<Instance> WaitForTemplate(const std::string& name);
  Status BuildTemplate(const std::string& name, const std::string& alias,
                       const std::string& fingerprint);
  // Renames the image's spare to `instance`. NotFound when there is no spare.
  Status ClaimSpare(const std::string& instance, const std::string& fingerprint);
  // The labels, device and limits that make `instance` the workspace `name`, over a copy's or
  // spare's.
  Status MakeWorkspace(const std::string& instance, const std::string& name,
                       const std::string& fingerprint, const WorkspaceLimits& limits);
  Config WorkspaceLabels(const std::string& name, const std::string& fingerprint) const;
  // The labels of a spare (stopped, or a warm member) of `image` at `fingerprint`, not ready.
  static Config SpareLabels(const std::string& image, const std::string& fingerprint);
  // Claims a ready warm member of `image` (at `fingerprint`) among `all` for workspace `name`;
  // false when none is ready (or another process claimed each first).
  Result<bool> ClaimWarm(const std::string& name, const std::string& image,
                         const std::string& fingerprint, const WorkspaceLimits& limits,
                         const std::vector<Instance>& all);
  // Makes, boots and marks ready one warm member; deletes it again on failure.
  Status MakeWarmMember(const std::string& image, const std::string& fingerprint,
                        const std::string& tpl, const WorkspaceLimits& limits,
                        const std::function<bool()>& busy);
  // Takes `member` out of the pool under its ETag (so no claim can land after) and deletes it.
  // False when a claim got there first.
  Result<bool> RetireWarmMember(const Instance& member);
  std::string WarmSocketPath(const std::string& instance) const;
  // A claimed member's code-server socket still under its warm name (a claim interrupted
  // between the PATCH and the rename) moves to the workspace's.
  void MoveWarmSocket(const std::string& name, const std::string& instance) const;
  // Writes code-server's config into `current` (see Configure); nothing when it runs with
  // these values already.
  Status WriteCodeServerConfig(const Instance& current, const CodeServerConfig& config);
  void Remember(const std::string& name, const std::string& instance);
  void Forget(const std::string& name);
  // Waits for a start StartAndWaitHealthy left unfinished. REQUIRES: LockFor(instance) held.
  Status SettleStart(const std::string& instance);
  // Asks the daemon to start `instance` (workspace `name`) unless it runs, without waiting,
  // after giving it `limits` if its own differ; returns the start operation, "" when there is
  // none to wait for. REQUIRES: LockFor held.
  Result<std::string> RequestStart(const std::string& name, const std::string& instance,
                                   const WorkspaceLimits& limits);
  // Polls code-server's /healthz through the socket at `path` (of `instance`); with
  // `start_operation`, also fails as soon as that operation fails.
  Status PollHealthy(const std::string& path, const std::string& instance,
                     std::chrono::milliseconds timeout, const std::string& start_operation);
  // Reads the spare's warm_paths into the page cache, best effort.
  void WarmSpare(const std::string& spare);
  Status StopInstance(const Instance& instance);
  Device ProxyDevice(const std::string& listen_path, int port) const;
  Status ChangePortDevice(const std::string& name, int port, bool add);
  void RemoveSocketFiles(const std::string& name) const;
  // Rescans the pools whose quota accounting btrfs marked inconsistent, so disk limits hold
  // (runtime/incus/quota_accounting.h); after deletes, and before a create or a start.
  // Failures are logged: the operation that asked succeeded.
  void KeepDiskLimitsEnforced(const std::string& context);

  std::shared_ptr<IncusClient> client_;
  IncusRuntimeOptions options_;
  SocketClientFactory socket_clients_;
  InstanceLimits limits_;
  RealProcessRunner quota_runner_;
  std::unique_ptr<QuotaKeeper> quota_keeper_;  // null without a local daemon directory
  // Held around every request that makes LXD allocate an isolated id map (a copy, or a patch
  // that turns security.idmap.isolated on): LXD 5.0.2 picks the range from the other
  // instances' volatile.idmap.base, and one still being made reads as 0, which hands out a
  // range outside root's subordinate ids (newuidmap then refuses every start).
  std::mutex idmap_mu_;
  std::mutex locks_mu_;
  std::map<std::string, std::unique_ptr<std::mutex>> locks_;  // GUARDED_BY(locks_mu_)
  std::map<std::string, std::string>
      starting_;  // instance -> start operation; GUARDED_BY(locks_mu_)
  std::map<std::string, std::string> instance_of_;  // workspace -> instance; GUARDED_BY(locks_mu_)
};

// The code-server config file (/etc/rockpool/code-server.yaml). Configure keeps its values in
// the instance's config keys below; an image whose property rockpool.code-server.config is
// "template" (seen in the instance as kImageCodeServerConfigKey) renders the file from them
// at every start, and Configure writes the file itself only into a running instance or one
// from another image.
inline constexpr char kCodeServerConfigPath[] = "/etc/rockpool/code-server.yaml";
inline constexpr char kCodeServerBasePathKey[] = "user.rockpool.code-server.base-path";
inline constexpr char kCodeServerPortKey[] = "user.rockpool.code-server.port";
inline constexpr char kImageCodeServerConfigKey[] = "image.rockpool.code-server.config";
// A warm member's CPU weight against the workspaces while it waits (LXD's 0-10, default 10):
// booting a member never takes CPU time a workspace wants. A claim sets it back.
inline constexpr char kCpuPriorityKey[] = "limits.cpu.priority";
inline constexpr char kWarmCpuPriority[] = "0";
inline constexpr char kWorkspaceCpuPriority[] = "10";

}  // namespace rockpool::incus
