#include "runtime/sim/sim_runtime.h"

#include <thread>

#include "sockets/workspace_sockets.h"

namespace rockpool {
namespace {

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

std::string What(const std::string& op, const std::string& name) {
  return "sim: " + op + " instance " + Quoted(name);
}

}  // namespace

SimRuntime::SimRuntime(SimRuntimeOptions options) : options_(std::move(options)) {}

void SimRuntime::Wait(std::chrono::milliseconds base) const {
  if (options_.delay_scale <= 0) return;
  std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(
      static_cast<double>(base.count()) * options_.delay_scale));
}

InstanceInfo SimRuntime::Info(const std::string& name, const Instance& instance) {
  // As an engine reports it: the state changes when the operation has finished.
  const bool running = instance.state == State::kRunning || instance.state == State::kStopping;
  InstanceInfo info{name, running ? "Running" : "Stopped", running, ""};
  // An address from TEST-NET-1 (RFC 5737): it looks real and reaches nothing.
  if (running) info.address = "192.0.2." + std::to_string(instance.index % 254 + 1);
  return info;
}

Result<SimRuntime::Instance*> SimRuntime::Find(const std::string& name, const std::string& what) {
  auto it = instances_.find(name);
  if (it == instances_.end()) return Status::NotFound(what + ": no such instance");
  return &it->second;
}

Status SimRuntime::CheckImage(const std::string& image) {
  if (options_.images.empty() || options_.images.contains(image)) return Status::Ok();
  std::string known;
  for (const auto& i : options_.images) known += (known.empty() ? "" : ", ") + i;
  return Status::NotFound("sim: image " + Quoted(image) + " is not known to the dev runtime (" +
                          known + "); use one of those");
}

Status SimRuntime::Create(const std::string& name, const std::string& image,
                          const WorkspaceLimits& limits) {
  const std::string what = What("create", name);
  RP_RETURN_IF_ERROR(CheckImage(image).WithContext(what));
  {
    std::lock_guard lock(mu_);
    if (instances_.contains(name)) return Status::AlreadyExists(what + ": it exists already");
    instances_[name] = Instance{State::kCreating, image, limits, "", {}, next_index_++};
  }
  Wait(SimDelays::kCreate);
  std::lock_guard lock(mu_);
  RP_ASSIGN_OR_RETURN(Instance * instance, Find(name, what));  // removed meanwhile
  instance->state = State::kStopped;
  return Status::Ok();
}

Status SimRuntime::Start(const std::string& name, const WorkspaceLimits& limits) {
  const std::string what = What("start", name);
  {
    std::lock_guard lock(mu_);
    RP_ASSIGN_OR_RETURN(Instance * instance, Find(name, what));
    if (instance->state == State::kRunning) return Status::Ok();
    if (instance->state != State::kStopped) return Status::Conflict(what + ": it is busy");
    instance->state = State::kStarting;
    instance->limits = limits;  // a stopped instance gets the limits it is started with
  }
  Wait(SimDelays::kStart);
  std::lock_guard lock(mu_);
  RP_ASSIGN_OR_RETURN(Instance * instance, Find(name, what));
  if (auto fail = options_.fail_start.find(name); fail != options_.fail_start.end()) {
    instance->state = State::kStopped;
    return Status::Unavailable(what + ": " + fail->second);
  }
  instance->state = State::kRunning;
  return Status::Ok();
}

Status SimRuntime::Stop(const std::string& name) {
  const std::string what = What("stop", name);
  {
    std::lock_guard lock(mu_);
    RP_ASSIGN_OR_RETURN(Instance * instance, Find(name, what));
    if (instance->state == State::kStopped) return Status::Ok();
    if (instance->state != State::kRunning) return Status::Conflict(what + ": it is busy");
    instance->state = State::kStopping;
  }
  Wait(SimDelays::kStop);
  std::lock_guard lock(mu_);
  RP_ASSIGN_OR_RETURN(Instance * instance, Find(name, what));
  instance->state = State::kStopped;
  return Status::Ok();
}

Status SimRuntime::Remove(const std::string& name) {
  bool running;
  {
    std::lock_guard lock(mu_);
    auto it = instances_.find(name);
    if (it == instances_.end()) return Status::Ok();
    running = it->second.state == State::kRunning;
  }
  if (running) Wait(SimDelays::kStop);
  Wait(SimDelays::kRemove);
  std::lock_guard lock(mu_);
  instances_.erase(name);
  snapshots_.Drop(name);
  return Status::Ok();
}

Result<std::vector<SnapshotInfo>> SimRuntime::ListSnapshots(const std::string& name) {
  std::lock_guard lock(mu_);
  RP_RETURN_IF_ERROR(Find(name, What("list snapshots of", name)).status());
  return snapshots_.List(name);
}

Result<SnapshotInfo> SimRuntime::CreateSnapshot(const std::string& name,
                                                const std::string& snapshot) {
  Wait(SimDelays::kPort);
  std::lock_guard lock(mu_);
  RP_RETURN_IF_ERROR(Find(name, What("snapshot", name)).status());
  return snapshots_.Add(name, snapshot);
}

Status SimRuntime::RestoreSnapshot(const std::string& name, const std::string& snapshot) {
  const std::string what = What("restore snapshot " + snapshot + " of", name);
  Wait(SimDelays::kPort);
  std::lock_guard lock(mu_);
  RP_ASSIGN_OR_RETURN(Instance * instance, Find(name, what));
  if (instance->state != State::kStopped) return Status::Conflict(what + ": it is not stopped");
  return snapshots_.Check(name, snapshot);
}

Status SimRuntime::DeleteSnapshot(const std::string& name, const std::string& snapshot) {
  Wait(SimDelays::kPort);
  std::lock_guard lock(mu_);
  RP_RETURN_IF_ERROR(Find(name, What("delete snapshot " + snapshot + " of", name)).status());
  return snapshots_.Remove(name, snapshot);
}

Result<InstanceInfo> SimRuntime::Inspect(const std::string& name) {
  std::lock_guard lock(mu_);
  RP_ASSIGN_OR_RETURN(Instance * instance, Find(name, What("inspect", name)));
  return Info(name, *instance);
}

Result<std::vector<InstanceInfo>> SimRuntime::List() {
  std::lock_guard lock(mu_);
  std::vector<InstanceInfo> out;
  for (const auto& [name, instance] : instances_) out.push_back(Info(name, instance));
  return out;
}

Status SimRuntime::Configure(const std::string& name, const CodeServerConfig& config) {
  std::lock_guard lock(mu_);
  RP_ASSIGN_OR_RETURN(Instance * instance, Find(name, What("configure", name)));
  instance->base_path = config.base_path;
  return Status::Ok();
}

Status SimRuntime::WaitHealthy(const std::string& name, std::chrono::milliseconds /*timeout*/) {
  std::lock_guard lock(mu_);
  const std::string what = What("check health of", name);
  RP_ASSIGN_OR_RETURN(Instance * instance, Find(name, what));
  if (instance->state != State::kRunning) return Status::Unavailable(what + ": it is not running");
  return Status::Ok();
}

Result<ScriptResult> SimRuntime::RunScript(const std::string& name, const ScriptSpec& spec) {
  const std::string what = What("run a script in", name);
  Wait(SimDelays::kScript);
  {
    std::lock_guard lock(mu_);
    RP_ASSIGN_OR_RETURN(Instance * instance, Find(name, what));
    if (instance->state != State::kRunning) {
      return Status::Conflict(what + ": the instance is not running");
    }
  }
  auto url = spec.env.find("RP_GIT_URL");
  if (url != spec.env.end() && url->second.find("fail-clone") != std::string::npos) {
    return ScriptResult{10, "", "fatal: repository '" + url->second + "/' not found\n"};
  }
  return ScriptResult{0, "", ""};
}

Status SimRuntime::AddPort(const std::string& name, int port) {
  const std::string what = What("forward port " + std::to_string(port) + " of", name);
  if (port < 1 || port > 65535) return Status::InvalidArgument(what + ": not a TCP port");
  Wait(SimDelays::kPort);
  std::lock_guard lock(mu_);
  RP_ASSIGN_OR_RETURN(Instance * instance, Find(name, what));
  instance->ports.insert(port);  // already there: nothing to do
  return Status::Ok();
}

Status SimRuntime::RemovePort(const std::string& name, int port) {
  const std::string what = What("remove port " + std::to_string(port) + " of", name);
  if (port < 1 || port > 65535) return Status::InvalidArgument(what + ": not a TCP port");
  Wait(SimDelays::kPort);
  std::lock_guard lock(mu_);
  RP_ASSIGN_OR_RETURN(Instance * instance, Find(name, what));
  instance->ports.erase(port);
  return Status::Ok();
}

std::string SimRuntime::SocketPath(const std::string& name) const {
  return sockets::IdeSocketPath(options_.socket_dir, name);
}

std::string SimRuntime::PortSocketPath(const std::string& name, int port) const {
  return sockets::PortSocketPath(options_.socket_dir, name, port);
}

Result<WorkspaceLimits> SimRuntime::LimitsOf(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  if (it == instances_.end()) return Status::NotFound(What("read limits of", name) + ": none");
  return it->second.limits;
}

Result<std::set<int>> SimRuntime::PortsOf(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  if (it == instances_.end()) return Status::NotFound(What("read ports of", name) + ": none");
  return it->second.ports;
}

Result<std::map<std::string, std::string>> ParseFailStart(const std::string& spec) {
  std::map<std::string, std::string> out;
  size_t begin = 0;
  while (begin <= spec.size()) {
    size_t end = spec.find('\n', begin);
    if (end == std::string::npos) end = spec.size();
    const std::string line = spec.substr(begin, end - begin);
    begin = end + 1;
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == 0 || eq == std::string::npos || eq + 1 == line.size()) {
      return Status::InvalidArgument("ROCKPOOL_DEV_FAIL_START: " + Quoted(line) +
                                     " is not <workspace>=<message>; e.g. broken=disk full");
    }
    out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

}  // namespace rockpool
