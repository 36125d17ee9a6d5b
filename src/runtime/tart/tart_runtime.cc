#include "runtime/tart/tart_runtime.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/names.h"
#include "http/curl_client.h"
#include "runtime/code_server_config.h"
#include "runtime/health.h"
#include "sockets/workspace_sockets.h"

namespace rockpool::tart {
namespace {

using Clock = std::chrono::steady_clock;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The last lines of `tart run`'s log, for an error.
std::string LogTail(const std::string& path) {
  std::string log = ReadFile(path);
  if (log.size() > 600) log = "..." + log.substr(log.size() - 600);
  while (!log.empty() && log.back() == '\n') log.pop_back();
  return log.empty() ? "(empty)" : log;
}

// Tart counts whole CPUs (Commands/Set.swift: --cpu is an integer); a quota of 1.5 cores
// gets 2 virtual CPUs.
int VirtualCpus(double cpus) { return std::max(1, static_cast<int>(std::ceil(cpus - 1e-9))); }

}  // namespace

std::string RenderTartCodeServerConfig(const CodeServerConfig& config, int port) {
  return RenderCodeServerConfig(config, "0.0.0.0", port);
}

// Through `tart exec` rather than a config disk attached at first boot: the config changes
// while the VM runs (a rename) and code-server must restart then anyway, a disk would be read
// only at boot and needs a mounter in the image, and exec reaches the guest over the VM's
// control socket (Commands/Exec.swift: gRPC to the Tart Guest Agent), with no SSH key to keep.
// The agent runs the command as the user its systemd unit names; writing /etc and restarting
// code-server need root, so without root and without sudo the command says how to fix the image.
std::vector<std::string> ConfigureCommand(const std::string& vm, const std::string& yaml) {
  return {"exec",
          vm,
          "sh",
          "-c",
          "set -e; s=; [ \"$(id -u)\" = 0 ] || s='sudo -n'; "
          "[ -z \"$s\" ] || sudo -n true 2>/dev/null || { echo \"rockpool: tart exec runs as "
          "$(id -un), not root, and sudo -n is refused: run the image's tart-guest-agent.service "
          "as root (User=root)\" >&2; exit 1; }; "
          "$s mkdir -p /etc/rockpool; "
          "printf '%s' \"$1\" | $s tee /etc/rockpool/code-server.yaml.new >/dev/null; "
          "$s mv /etc/rockpool/code-server.yaml.new /etc/rockpool/code-server.yaml; "
          "$s systemctl restart code-server",
          "rockpool-configure",
          yaml};
}

Result<std::unique_ptr<TartRuntime>> TartRuntime::Open(TartRuntimeOptions options) {
  for (const auto* dir : {&options.socket_dir, &options.log_dir, &options.state_dir}) {
    std::error_code ec;
    std::filesystem::create_directories(*dir, ec);
    if (ec) return Status::Internal("tart: create " + *dir + ": " + ec.message());
  }
  auto runtime = std::make_unique<TartRuntime>(std::move(options), [](const std::string& path) {
    return std::make_unique<CurlHttpClient>(HttpEndpoint::Unix(path, "localhost"));
  });
  RP_RETURN_IF_ERROR(runtime->Reattach());
  return runtime;
}

TartRuntime::TartRuntime(TartRuntimeOptions options, SocketClientFactory socket_clients)
    : options_(std::move(options)), socket_clients_(std::move(socket_clients)) {}

std::mutex& TartRuntime::LockFor(const std::string& name) {
  std::lock_guard lock(locks_mu_);
  auto& mu = locks_[name];
  if (!mu) mu = std::make_unique<std::mutex>();
  return *mu;
}

Result<TartResult> TartRuntime::Tart(const std::vector<std::string>& args) {
  std::vector<std::string> env;
  if (!options_.tart_home.empty()) env.push_back("TART_HOME=" + options_.tart_home);
  return RunTart(options_.tart_path, args, env);
}

Result<TartResult> TartRuntime::TartOk(const std::vector<std::string>& args,
                                       const std::string& name, const std::string& what) {
  RP_ASSIGN_OR_RETURN(TartResult r, Tart(args));
  if (r.exit_code != 0) return FailureStatus(r, args, name, what);
  return r;
}

Result<std::vector<TartVm>> TartRuntime::ListLocal(const std::string& name,
                                                   const std::string& what) {
  const std::vector<std::string> args = {"list", "--format", "json"};
  RP_ASSIGN_OR_RETURN(TartResult r, TartOk(args, name, what));
  auto vms = ParseList(r.out);
  if (!vms.ok()) return vms.status().WithContext("tart: " + what + " (workspace " + name + ")");
  return vms;
}

Result<TartRuntime::Vm> TartRuntime::Find(const std::string& name, const std::string& what) {
  RP_ASSIGN_OR_RETURN(auto vms, ListLocal(name, what));
  const std::string vm = VmName(name);
  for (const TartVm& v : vms) {
    if (v.source == "local" && v.name == vm) return Vm{true, v.running, v.state};
  }
  return Vm{};
}

Status TartRuntime::CheckImage(const std::string& image) {
  RP_ASSIGN_OR_RETURN(auto vms, ListLocal("-", "check image " + image));
  for (const TartVm& v : vms) {
    if (v.name == image) return Status::Ok();
  }
  return Status::NotFound("tart: image " + image +
                          " is not a Tart VM here (tart list); build it with `packer build "
                          "images/macos` or clone one with `tart clone <remote> " +
                          image + "`");
}

Status TartRuntime::Create(const std::string& name, const std::string& image,
                           const WorkspaceLimits& limits) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(name));
  const std::string vm = VmName(name);
  std::lock_guard lock(LockFor(name));
  // `tart clone` replaces a VM of the new name (VMStorageLocal.swift: move() is
  // replaceItemAt), so whether one exists is asked first.
  RP_ASSIGN_OR_RETURN(Vm existing, Find(name, "create"));
  if (existing.exists) {
    return Status::AlreadyExists("tart: create (workspace " + name + "): VM " + vm +
                                 " exists already");
  }
  const std::vector<std::string> clone = {"clone", image, vm};
  RP_ASSIGN_OR_RETURN(TartResult cloned, Tart(clone));
  if (cloned.exit_code != 0) {
    Status failed = FailureStatus(cloned, clone, name, "clone image " + image);
    if (failed.code() == Code::kNotFound) {
      return Status::NotFound(failed.message() +
                              "; build the image with `packer build "
                              "images/macos`");
    }
    return failed;
  }
  if (Status set = SetLimits(name, limits); !set.ok()) {
    (void)Tart({"delete", vm});  // undo the clone: no half-made workspace stays
    return set;
  }
  std::error_code ec;
  std::filesystem::remove(StateFile(name, ".ports"), ec);
  std::filesystem::remove(StateFile(name, ".code-server.yaml"), ec);
  return Status::Ok();
}

Status TartRuntime::SetLimits(const std::string& name, const WorkspaceLimits& limits) {
  // Commands/Set.swift: --cpu is a count, --memory in MiB. The disk is the image's: --disk-size
  // can only grow it (VMDirectory.swift resizeDisk), so it is left to the image.
  return TartOk({"set", VmName(name), "--cpu", std::to_string(VirtualCpus(limits.cpus)), "--memory",
                 std::to_string(limits.memory_mib)},
                name, "set cpu and memory")
      .status();
}

Result<std::string> TartRuntime::Address(const std::string& name, int wait_seconds) {
  std::vector<std::string> args = {"ip", VmName(name)};
  if (wait_seconds > 0) args = {"ip", "--wait", std::to_string(wait_seconds), VmName(name)};
  RP_ASSIGN_OR_RETURN(TartResult r, TartOk(args, name, "get the VM's address"));
  std::string ip = r.out;
  while (!ip.empty() && (ip.back() == '\n' || ip.back() == ' ')) ip.pop_back();
  if (ip.empty() || ip.find_first_not_of("0123456789.") != std::string::npos) {
    return Status::Internal("tart: get the VM's address (workspace " + name +
                            "): not an IPv4 address: " + r.out);
  }
  return ip;
}

Status TartRuntime::Start(const std::string& name, const WorkspaceLimits& limits) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(name));
  const std::string vm = VmName(name);
  std::lock_guard lock(LockFor(name));
  RP_ASSIGN_OR_RETURN(Vm now, Find(name, "start"));
  if (!now.exists) {
    return Status::NotFound("tart: start (workspace " + name + "): no VM " + vm);
  }
  const std::string log = options_.log_dir + "/" + vm + ".log";
  if (!now.running) {
    RP_RETURN_IF_ERROR(SetLimits(name, limits));
    std::vector<std::string> env;
    if (!options_.tart_home.empty()) env.push_back("TART_HOME=" + options_.tart_home);
    auto pid = SpawnTartDetached(options_.tart_path, {"run", "--no-graphics", vm}, env, log);
    if (!pid.ok()) return pid.status().WithContext("tart: start (workspace " + name + ")");
  }
  auto address = Address(name, static_cast<int>(options_.ip_wait.count()));
  if (!address.ok()) {
    return Status(address.status().code(),
                  address.status().message() + "; tart run's log " + log + ": " + LogTail(log));
  }
  RP_RETURN_IF_ERROR(Attach(name, *address));
  if (std::filesystem::exists(StateFile(name, ".code-server.yaml"))) {
    RP_RETURN_IF_ERROR(ApplyConfig(name));
  }
  return Status::Ok();
}

Status TartRuntime::Stop(const std::string& name) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(name));
  std::lock_guard lock(LockFor(name));
  const std::vector<std::string> args = {
      "stop", "--timeout", std::to_string(options_.stop_timeout.count()), VmName(name)};
  RP_ASSIGN_OR_RETURN(TartResult r, Tart(args));
  Detach(name);
  if (r.exit_code == 0 || ClassifyFailure(r, VmName(name)) == TartFailure::kNotRunning) {
    return Status::Ok();
  }
  return FailureStatus(r, args, name, "stop");
}

Status TartRuntime::Remove(const std::string& name) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(name));
  Status stopped = Stop(name);
  if (!stopped.ok() && stopped.code() != Code::kNotFound) return stopped;
  std::lock_guard lock(LockFor(name));
  const std::vector<std::string> args = {"delete", VmName(name)};
  RP_ASSIGN_OR_RETURN(TartResult r, Tart(args));
  if (r.exit_code != 0 && ClassifyFailure(r, VmName(name)) != TartFailure::kVmMissing) {
    return FailureStatus(r, args, name, "delete");
  }
  Detach(name);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(options_.socket_dir, ec)) {
    if (sockets::IsSocketFileOf(entry.path().filename().string(), name)) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
  std::filesystem::remove(StateFile(name, ".ports"), ec);
  std::filesystem::remove(StateFile(name, ".code-server.yaml"), ec);
  return Status::Ok();
}

Result<InstanceInfo> TartRuntime::Inspect(const std::string& name) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(name));
  RP_ASSIGN_OR_RETURN(Vm vm, Find(name, "inspect"));
  if (!vm.exists) {
    return Status::NotFound("tart: inspect (workspace " + name + "): no VM " + VmName(name));
  }
  InstanceInfo info{name, StatusWord(vm.state), vm.running, ""};
  if (vm.running) {
    std::lock_guard lock(addresses_mu_);
    if (auto it = addresses_.find(name); it != addresses_.end()) info.address = it->second;
  }
  return info;
}

Result<std::vector<InstanceInfo>> TartRuntime::List() {
  RP_ASSIGN_OR_RETURN(auto vms, ListLocal("*", "list"));
  std::vector<InstanceInfo> out;
  for (const TartVm& v : vms) {
    if (v.source != "local") continue;
    auto name = WorkspaceOfVm(v.name);
    if (!name) continue;
    InstanceInfo info{*name, StatusWord(v.state), v.running, ""};
    std::lock_guard lock(addresses_mu_);
    if (auto it = addresses_.find(*name); v.running && it != addresses_.end()) {
      info.address = it->second;
    }
    out.push_back(std::move(info));
  }
  return out;
}

Status TartRuntime::Configure(const std::string& name, const CodeServerConfig& config) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(name));
  std::lock_guard lock(LockFor(name));
  RP_ASSIGN_OR_RETURN(Vm vm, Find(name, "configure"));
  if (!vm.exists) {
    return Status::NotFound("tart: configure (workspace " + name + "): no VM " + VmName(name));
  }
  // Kept on the host: a stopped VM cannot be exec'd into, so Start writes it into the guest.
  const std::string path = StateFile(name, ".code-server.yaml");
  {
    std::ofstream out(path + ".tmp", std::ios::trunc);
    out << RenderTartCodeServerConfig(config, options_.code_server_port);
    if (!out.flush())
      return Status::Internal("tart: configure (workspace " + name + "): write " + path);
  }
  std::error_code ec;
  std::filesystem::rename(path + ".tmp", path, ec);
  if (ec) return Status::Internal("tart: configure (workspace " + name + "): " + ec.message());
  if (!vm.running) return Status::Ok();
  return ApplyConfig(name);
}

Status TartRuntime::ApplyConfig(const std::string& name) {
  const auto args = ConfigureCommand(VmName(name), ReadFile(StateFile(name, ".code-server.yaml")));
  const auto deadline = Clock::now() + options_.agent_wait;
  while (true) {
    RP_ASSIGN_OR_RETURN(TartResult r, Tart(args));
    if (r.exit_code == 0) return Status::Ok();
    // Commands/Exec.swift: this is what exec says until the guest agent answers.
    bool agent_not_up =
        r.err.find("Failed to connect to the VM using its control socket") != std::string::npos;
    if (!agent_not_up || Clock::now() >= deadline) {
      std::vector<std::string> shown(args.begin(), args.end() - 1);
      shown.push_back("<config>");
      return FailureStatus(r, shown, name, "write code-server's config and restart it");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

Status TartRuntime::WaitHealthy(const std::string& name, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto client = socket_clients_(SocketPath(name));
  std::string last = "no answer yet";
  while (true) {
    auto answered = ProbeCodeServer(*client, deadline);
    if (!answered) return Status::Ok();
    last = *answered;
    if (Clock::now() + options_.health_poll_interval >= deadline) break;
    std::this_thread::sleep_for(options_.health_poll_interval);
  }
  return Status::DeadlineExceeded("tart: wait for code-server (workspace " + name +
                                  "): not healthy after " + std::to_string(timeout.count()) +
                                  " ms through " + SocketPath(name) + "; last: " + last);
}

std::string TartRuntime::SocketPath(const std::string& name) const {
  return sockets::IdeSocketPath(options_.socket_dir, name);
}

std::string TartRuntime::PortSocketPath(const std::string& name, int port) const {
  return sockets::PortSocketPath(options_.socket_dir, name, port);
}

std::string TartRuntime::StateFile(const std::string& name, const std::string& suffix) const {
  return options_.state_dir + "/" + VmName(name) + suffix;
}

std::set<int> TartRuntime::Ports(const std::string& name) const {
  std::set<int> ports;
  std::ifstream in(StateFile(name, ".ports"));
  int port = 0;
  while (in >> port) {
    if (ValidatePort(port).ok()) ports.insert(port);
  }
  return ports;
}

Status TartRuntime::SavePorts(const std::string& name, const std::set<int>& ports) const {
  const std::string path = StateFile(name, ".ports");
  {
    std::ofstream out(path + ".tmp", std::ios::trunc);
    for (int port : ports) out << port << "\n";
    if (!out.flush())
      return Status::Internal("tart: ports of workspace " + name + ": write " + path);
  }
  std::error_code ec;
  std::filesystem::rename(path + ".tmp", path, ec);
  if (ec) return Status::Internal("tart: ports of workspace " + name + ": " + ec.message());
  return Status::Ok();
}

Status TartRuntime::Attach(const std::string& name, const std::string& address) {
  ListenSpec spec{.path = SocketPath(name),
                  .host = address,
                  .port = options_.code_server_port,
                  .uid = options_.socket_uid,
                  .gid = options_.socket_gid,
                  .mode = options_.socket_mode};
  RP_RETURN_IF_ERROR(forwarder_.Listen(spec).WithContext("tart: workspace " + name));
  for (int port : Ports(name)) {
    spec.path = PortSocketPath(name, port);
    spec.port = port;
    RP_RETURN_IF_ERROR(forwarder_.Listen(spec).WithContext("tart: workspace " + name));
  }
  std::lock_guard lock(addresses_mu_);
  addresses_[name] = address;
  return Status::Ok();
}

void TartRuntime::Detach(const std::string& name) {
  forwarder_.Close(SocketPath(name));
  for (int port : Ports(name)) forwarder_.Close(PortSocketPath(name, port));
  std::lock_guard lock(addresses_mu_);
  addresses_.erase(name);
}

Status TartRuntime::AddPort(const std::string& name, int port) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(name));
  RP_RETURN_IF_ERROR(ValidatePort(port));
  std::lock_guard lock(LockFor(name));
  RP_ASSIGN_OR_RETURN(Vm vm, Find(name, "add port " + std::to_string(port)));
  if (!vm.exists) {
    return Status::NotFound("tart: add port (workspace " + name + "): no VM " + VmName(name));
  }
  std::set<int> ports = Ports(name);
  ports.insert(port);
  RP_RETURN_IF_ERROR(SavePorts(name, ports));
  std::string address;
  {
    std::lock_guard a(addresses_mu_);
    if (auto it = addresses_.find(name); it != addresses_.end()) address = it->second;
  }
  if (!vm.running || address.empty()) return Status::Ok();  // listened on at the next start
  return forwarder_
      .Listen({.path = PortSocketPath(name, port),
               .host = address,
               .port = port,
               .uid = options_.socket_uid,
               .gid = options_.socket_gid,
               .mode = options_.socket_mode})
      .WithContext("tart: workspace " + name);
}

Status TartRuntime::RemovePort(const std::string& name, int port) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(name));
  RP_RETURN_IF_ERROR(ValidatePort(port));
  std::lock_guard lock(LockFor(name));
  std::set<int> ports = Ports(name);
  if (ports.erase(port) > 0) RP_RETURN_IF_ERROR(SavePorts(name, ports));
  forwarder_.Close(PortSocketPath(name, port));
  return Status::Ok();
}

Status TartRuntime::Reattach() {
  RP_ASSIGN_OR_RETURN(auto vms, ListLocal("*", "find running workspaces"));
  for (const TartVm& v : vms) {
    auto name = WorkspaceOfVm(v.name);
    if (v.source != "local" || !v.running || !name) continue;
    std::lock_guard lock(LockFor(*name));
    RP_ASSIGN_OR_RETURN(std::string address, Address(*name, 0));
    RP_RETURN_IF_ERROR(Attach(*name, address));
  }
  return Status::Ok();
}

namespace {

Status NoSnapshots(const std::string& name) {
  return Status(Code::kUnimplemented,
                "tart: snapshots of workspace " + name +
                    ": the tart runtime does not support snapshots; use an LXD deployment");
}

}  // namespace

Result<std::vector<SnapshotInfo>> TartRuntime::ListSnapshots(const std::string& name) {
  return NoSnapshots(name);
}
Result<SnapshotInfo> TartRuntime::CreateSnapshot(const std::string& name, const std::string&) {
  return NoSnapshots(name);
}
Status TartRuntime::RestoreSnapshot(const std::string& name, const std::string&) {
  return NoSnapshots(name);
}
Status TartRuntime::DeleteSnapshot(const std::string& name, const std::string&) {
  return NoSnapshots(name);
}

}  // namespace rockpool::tart
