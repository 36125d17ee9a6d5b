#include "runtime/fake/fake_runtime.h"

#include <thread>

#include "sockets/workspace_sockets.h"

namespace rockpool {

Status FakeRuntime::Enter(const std::string& method, const std::string& name,
                          const std::string& line) {
  std::chrono::milliseconds delay{0};
  {
    std::lock_guard lock(mu_);
    calls_.push_back(line);
    if (auto it = delays_.find(method); it != delays_.end()) delay = it->second;
  }
  if (delay.count() > 0) std::this_thread::sleep_for(delay);  // simulates a slow engine
  std::lock_guard lock(mu_);
  for (auto it = failures_.begin(); it != failures_.end(); ++it) {
    if (it->method != method || (!it->name.empty() && it->name != name)) continue;
    Status st = it->status;
    if (it->times > 0 && --it->times == 0) failures_.erase(it);
    return st;
  }
  return Status::Ok();
}

InstanceInfo FakeRuntime::Info(const std::string& name, const Instance& instance) {
  if (instance.member_offline) return InstanceInfo{name, "Error", false, "", instance.location};
  return InstanceInfo{name, instance.running ? "Running" : "Stopped", instance.running,
                      instance.running ? "10.187.42.10" : "", instance.location};
}

Status FakeRuntime::Create(const std::string& name, const std::string& image,
                           const WorkspaceLimits& limits) {
  RP_RETURN_IF_ERROR(Enter("Create", name, "Create " + name + " " + image));
  std::lock_guard lock(mu_);
  if (instances_.count(name) > 0) {
    return Status::AlreadyExists("fake: create instance " + name + ": already exists");
  }
  instances_[name] = Instance{.image = image, .limits = limits};
  return Status::Ok();
}

Status FakeRuntime::CheckImage(const std::string& image) {
  std::lock_guard lock(mu_);
  for (const Failure& f : failures_) {
    if (f.method == "CheckImage" && (f.name.empty() || f.name == image)) return f.status;
  }
  return Status::Ok();
}

Status FakeRuntime::Prewarm(const std::string& image) {
  RP_RETURN_IF_ERROR(Enter("Prewarm", image, "Prewarm " + image));
  std::lock_guard lock(mu_);
  prewarmed_ = true;
  return Status::Ok();
}

Result<int> FakeRuntime::FillWarmPools(const std::map<std::string, int>& sizes,
                                       const WorkspaceLimits&, const std::function<bool()>&) {
  std::string call = "FillWarmPools";
  for (const auto& [image, size] : sizes) call += " " + image + "=" + std::to_string(size);
  RP_RETURN_IF_ERROR(Enter("FillWarmPools", "", call));
  return 0;
}

Result<bool> FakeRuntime::IsPrewarmed(const std::string&) {
  std::lock_guard lock(mu_);
  return prewarmed_;
}

Result<std::vector<std::string>> FakeRuntime::RepairLimits() {
  std::lock_guard lock(mu_);
  std::optional<Result<std::vector<std::string>>> answer;
  answer.swap(next_limit_repair_);
  return answer ? std::move(*answer) : std::vector<std::string>{};
}

void FakeRuntime::AnswerNextRepairLimits(Result<std::vector<std::string>> answer) {
  std::lock_guard lock(mu_);
  next_limit_repair_ = std::move(answer);
}

void FakeRuntime::SetPrewarmed(bool prewarmed) {
  std::lock_guard lock(mu_);
  prewarmed_ = prewarmed;
}

Status FakeRuntime::Start(const std::string& name, const WorkspaceLimits& limits) {
  RP_RETURN_IF_ERROR(Enter("Start", name, "Start " + name));
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  if (it == instances_.end()) return Status::NotFound("fake: start instance " + name + ": none");
  if (!it->second.running && it->second.limits != limits) {
    it->second.limits = limits;
    ++it->second.limit_changes;
  }
  it->second.running = true;
  return Status::Ok();
}

Status FakeRuntime::Stop(const std::string& name) {
  RP_RETURN_IF_ERROR(Enter("Stop", name, "Stop " + name));
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  if (it == instances_.end()) return Status::NotFound("fake: stop instance " + name + ": none");
  it->second.running = false;
  return Status::Ok();
}

Status FakeRuntime::Remove(const std::string& name) {
  RP_RETURN_IF_ERROR(Enter("Remove", name, "Remove " + name));
  std::lock_guard lock(mu_);
  instances_.erase(name);
  snapshots_.Drop(name);
  return Status::Ok();
}

Result<std::vector<SnapshotInfo>> FakeRuntime::ListSnapshots(const std::string& name) {
  RP_RETURN_IF_ERROR(Enter("ListSnapshots", name, "ListSnapshots " + name));
  std::lock_guard lock(mu_);
  if (!instances_.contains(name)) return Status::NotFound("fake: instance " + name + ": none");
  return snapshots_.List(name);
}

Result<SnapshotInfo> FakeRuntime::CreateSnapshot(const std::string& name,
                                                 const std::string& snapshot) {
  RP_RETURN_IF_ERROR(Enter("CreateSnapshot", name, "CreateSnapshot " + name + " " + snapshot));
  std::lock_guard lock(mu_);
  if (!instances_.contains(name)) return Status::NotFound("fake: instance " + name + ": none");
  return snapshots_.Add(name, snapshot);
}

Status FakeRuntime::RestoreSnapshot(const std::string& name, const std::string& snapshot) {
  RP_RETURN_IF_ERROR(Enter("RestoreSnapshot", name, "RestoreSnapshot " + name + " " + snapshot));
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  if (it == instances_.end()) return Status::NotFound("fake: instance " + name + ": none");
  if (it->second.running) return Status::Conflict("fake: restore " + name + ": it is running");
  RP_RETURN_IF_ERROR(snapshots_.Check(name, snapshot));
  it->second.restored_from = snapshot;
  return Status::Ok();
}

Status FakeRuntime::DeleteSnapshot(const std::string& name, const std::string& snapshot) {
  RP_RETURN_IF_ERROR(Enter("DeleteSnapshot", name, "DeleteSnapshot " + name + " " + snapshot));
  std::lock_guard lock(mu_);
  return snapshots_.Remove(name, snapshot);
}

Result<InstanceInfo> FakeRuntime::Inspect(const std::string& name) {
  RP_RETURN_IF_ERROR(Enter("Inspect", name, "Inspect " + name));
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  if (it == instances_.end()) return Status::NotFound("fake: instance " + name + " not found");
  return Info(name, it->second);
}

Result<std::vector<InstanceInfo>> FakeRuntime::List() {
  RP_RETURN_IF_ERROR(Enter("List", "", "List"));
  std::lock_guard lock(mu_);
  std::vector<InstanceInfo> out;
  for (const auto& [name, instance] : instances_) {
    if (instance.rockpool) out.push_back(Info(name, instance));
  }
  return out;
}

Status FakeRuntime::Configure(const std::string& name, const CodeServerConfig& config) {
  RP_RETURN_IF_ERROR(Enter("Configure", name, "Configure " + name + " " + config.base_path));
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  if (it == instances_.end()) return Status::NotFound("fake: configure " + name + ": none");
  it->second.base_path = config.base_path;
  return Status::Ok();
}

Status FakeRuntime::WaitHealthy(const std::string& name, std::chrono::milliseconds timeout) {
  RP_RETURN_IF_ERROR(Enter("WaitHealthy", name, "WaitHealthy " + name));
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  if (it == instances_.end() || !it->second.running) {
    return Status::DeadlineExceeded("fake: " + name + " not healthy within " +
                                    std::to_string(timeout.count()) + " ms: not running");
  }
  return Status::Ok();
}

Result<ScriptResult> FakeRuntime::RunScript(const std::string& name, const ScriptSpec& spec) {
  RP_RETURN_IF_ERROR(Enter("RunScript", name, "RunScript " + name));
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  if (it == instances_.end()) return Status::NotFound("fake: run a script in " + name + ": none");
  if (!it->second.running) return Status::Conflict("fake: " + name + " is not running");
  scripts_.push_back({name, spec});
  return respond ? respond(spec) : script_result_;
}

void FakeRuntime::RespondToScripts(ScriptResult result) {
  std::lock_guard lock(mu_);
  script_result_ = std::move(result);
}

std::vector<FakeRuntime::RecordedScript> FakeRuntime::scripts() const {
  std::lock_guard lock(mu_);
  return scripts_;
}

Status FakeRuntime::AddPort(const std::string& name, int port) {
  RP_RETURN_IF_ERROR(Enter("AddPort", name, "AddPort " + name + " " + std::to_string(port)));
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  if (it == instances_.end()) return Status::NotFound("fake: add port to " + name + ": none");
  it->second.ports.insert(port);
  return Status::Ok();
}

Status FakeRuntime::RemovePort(const std::string& name, int port) {
  RP_RETURN_IF_ERROR(Enter("RemovePort", name, "RemovePort " + name + " " + std::to_string(port)));
  std::lock_guard lock(mu_);
  if (auto it = instances_.find(name); it != instances_.end()) it->second.ports.erase(port);
  return Status::Ok();
}

std::string FakeRuntime::SocketPath(const std::string& name) const {
  return sockets::IdeSocketPath(socket_dir_, name);
}

std::string FakeRuntime::PortSocketPath(const std::string& name, int port) const {
  return sockets::PortSocketPath(socket_dir_, name, port);
}

void FakeRuntime::FailOn(const std::string& method, const std::string& name, Status status,
                         int times) {
  std::lock_guard lock(mu_);
  failures_.push_back({method, name, std::move(status), times});
}

void FakeRuntime::ClearFailures() {
  std::lock_guard lock(mu_);
  failures_.clear();
}

void FakeRuntime::DelayOn(const std::string& method, std::chrono::milliseconds delay) {
  std::lock_guard lock(mu_);
  delays_[method] = delay;
}

void FakeRuntime::PutInstance(const std::string& name, Instance instance) {
  std::lock_guard lock(mu_);
  instances_[name] = std::move(instance);
}

void FakeRuntime::DropInstance(const std::string& name) {
  std::lock_guard lock(mu_);
  instances_.erase(name);
}

void FakeRuntime::SetRunning(const std::string& name, bool running) {
  std::lock_guard lock(mu_);
  if (auto it = instances_.find(name); it != instances_.end()) it->second.running = running;
}

std::optional<FakeRuntime::Instance> FakeRuntime::instance(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  if (it == instances_.end()) return std::nullopt;
  return it->second;
}

size_t FakeRuntime::instance_count() const {
  std::lock_guard lock(mu_);
  return instances_.size();
}

std::vector<std::string> FakeRuntime::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

void FakeRuntime::ClearCalls() {
  std::lock_guard lock(mu_);
  calls_.clear();
}

}  // namespace rockpool
