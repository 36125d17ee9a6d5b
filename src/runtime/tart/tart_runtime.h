// TartRuntime: workspaces as Tart VMs on a macOS host (Apple Silicon), driven through the
// `tart` command line (tart_cli.h says what of tart's behaviour this relies on, and where in
// Tart's sources it was read).
//
// Each workspace is the VM "rockpool-<name>", cloned from a local VM that is the image (built
// by images/macos with Packer). `tart run --no-graphics` runs in a session of its own, so a VM
// outlives the control plane; this runtime finds running VMs again through `tart list` when
// opened. Tart has no proxy devices, so the host unix sockets the proxy dials are kept here, in
// process (forwarder.h), to the VM's address from `tart ip`; Open re-establishes them for
// running VMs. code-server's config reaches the guest through `tart exec` (Tart 2.x guest
// agent): no SSH and no keys.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "http/client.h"
#include "runtime/runtime.h"
#include "runtime/tart/forwarder.h"
#include "runtime/tart/tart_cli.h"

namespace rockpool::tart {

struct TartRuntimeOptions {
  std::string tart_path = "tart";  // found on PATH when not a path
  // TART_HOME for every tart command; empty: tart's own default (~/.tart).
  std::string tart_home;
  std::string socket_dir = "/var/lib/rockpool/sockets";
  // `tart run` output, one <vm>.log per VM.
  std::string log_dir = "/var/log/rockpool";
  // What must survive a control plane restart: each VM's forwarded ports and code-server
  // config (<vm>.ports, <vm>.code-server.yaml).
  std::string state_dir = "/var/lib/rockpool/tart";
  // Owner and mode of the host sockets, as the Incus runtime's (runtime/incus/ports.cc).
  int socket_uid = -1;
  int socket_gid = -1;
  unsigned socket_mode = 0660;
  int code_server_port = 8080;
  // `tart ip --wait`: how long a start may take until the VM has an address.
  std::chrono::seconds ip_wait{120};
  // How long the guest agent may take to answer `tart exec` after the VM has an address.
  std::chrono::seconds agent_wait{60};
  std::chrono::seconds stop_timeout{30};  // `tart stop --timeout`
  std::chrono::milliseconds health_poll_interval{50};
};

using SocketClientFactory = std::function<std::unique_ptr<HttpClient>(const std::string& path)>;

class TartRuntime final : public Runtime {
 public:
  // Checks that `tart` answers, makes the folders and listens again for the running VMs.
  static Result<std::unique_ptr<TartRuntime>> Open(TartRuntimeOptions options);
  TartRuntime(TartRuntimeOptions options, SocketClientFactory socket_clients);

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
  // Tart has no snapshots of a VM in place: each answers Unimplemented.
  Result<std::vector<SnapshotInfo>> ListSnapshots(const std::string& name) override;
  Result<SnapshotInfo> CreateSnapshot(const std::string& name,
                                      const std::string& snapshot) override;
  Status RestoreSnapshot(const std::string& name, const std::string& snapshot) override;
  Status DeleteSnapshot(const std::string& name, const std::string& snapshot) override;
  Status AddPort(const std::string& name, int port) override;
  Status RemovePort(const std::string& name, int port) override;
  std::string SocketPath(const std::string& name) const override;
  std::string PortSocketPath(const std::string& name, int port) const override;

  // Listens again on the sockets of every running Rockpool VM (what Open does).
  Status Reattach();

 private:
  struct Vm {
    bool exists = false;
    bool running = false;
    std::string state;
  };
  Result<TartResult> Tart(const std::vector<std::string>& args);
  // Runs tart; a non-zero exit becomes FailureStatus(...) naming `name` and `what`.
  Result<TartResult> TartOk(const std::vector<std::string>& args, const std::string& name,
                            const std::string& what);
  Result<std::vector<TartVm>> ListLocal(const std::string& name, const std::string& what);
  Result<Vm> Find(const std::string& name, const std::string& what);
  Status SetLimits(const std::string& name, const WorkspaceLimits& limits);
  Result<std::string> Address(const std::string& name, int wait_seconds);
  // Listens on the IDE socket and every recorded port's socket, to `address`.
  Status Attach(const std::string& name, const std::string& address);
  void Detach(const std::string& name);
  // Writes the stored config into the running VM and restarts code-server, retrying while the
  // guest agent is not up yet.
  Status ApplyConfig(const std::string& name);
  std::set<int> Ports(const std::string& name) const;
  Status SavePorts(const std::string& name, const std::set<int>& ports) const;
  std::string StateFile(const std::string& name, const std::string& suffix) const;
  std::mutex& LockFor(const std::string& name);

  TartRuntimeOptions options_;
  SocketClientFactory socket_clients_;
  SocketForwarder forwarder_;
  std::mutex locks_mu_;
  std::map<std::string, std::unique_ptr<std::mutex>> locks_;  // GUARDED_BY(locks_mu_)
  std::mutex addresses_mu_;
  std::map<std::string, std::string> addresses_;  // workspace -> VM address; GUARDED_BY
};

// /etc/rockpool/code-server.yaml for a Tart VM (runtime/code_server_config.h): code-server
// listens on all of the VM's addresses, since the host reaches it over the VM's network and
// not from inside.
std::string RenderTartCodeServerConfig(const CodeServerConfig& config, int port);
// The `tart exec` command that installs `yaml` as /etc/rockpool/code-server.yaml and restarts
// code-server (as root: through sudo -n when the guest agent runs as another user).
std::vector<std::string> ConfigureCommand(const std::string& vm, const std::string& yaml);

}  // namespace rockpool::tart
