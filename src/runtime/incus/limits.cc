#include "runtime/incus/limits.h"

namespace rockpool::incus {
namespace {

// A disk device mounted at / is the root disk, whatever its name.
bool IsRootDisk(const Json& device) {
  return device.is_object() && device.value("type", "") == "disk" &&
         device.value("path", "") == "/";
}

}  // namespace

InstancePatch LimitsPatch(const WorkspaceLimits& limits, const std::string& pool) {
  // A quota per 100 ms period (the kernel's default): 1.5 cores -> 150 ms of CPU time.
  const std::string allowance = std::to_string(CpuMillisPer100ms(limits.cpus)) + "ms/100ms";
  return {.config = {{kCpuAllowanceKey, allowance},
                     {kMemoryKey, std::to_string(limits.memory_mib) + "MiB"},
                     {kProcessesKey, std::to_string(limits.processes)}},
          .devices = {{kRootDevice,
                       {{"type", "disk"},
                        {"path", "/"},
                        {"pool", pool},
                        {"size", std::to_string(limits.disk_gib) + "GiB"}}}}};
}

bool Carries(const Instance& instance, const InstancePatch& patch) {
  for (const auto& [key, value] : patch.config) {
    if (instance.Label(key) != value) return false;
  }
  for (const auto& [name, device] : patch.devices) {
    auto it = instance.devices.find(name);
    if (it == instance.devices.end() || it->second != device) return false;
  }
  return true;
}

InstanceLimits::InstanceLimits(std::shared_ptr<IncusClient> client, std::string pool,
                               std::vector<std::string> profiles)
    : client_(std::move(client)), profiles_(std::move(profiles)), pool_(std::move(pool)) {}

Result<std::string> InstanceLimits::Pool() {
  std::lock_guard lock(mu_);
  if (!pool_.empty()) return pool_;
  std::string found;
  for (const std::string& profile : profiles_) {
    auto r = client_->Call({.path = "/1.0/profiles/" + UrlEncode(profile)});
    if (!r.ok()) return r.status().WithContext("incus: read profile " + profile);
    const Json devices = r->metadata.value("devices", Json::object());
    for (const auto& [name, device] : devices.items()) {
      if (IsRootDisk(device)) found = device.value("pool", "");
    }
  }
  if (found.empty()) {
    return Status::NotFound(
        "incus: no root disk with a storage pool in the profiles given to workspaces; add one "
        "(`lxc profile device add default root disk path=/ pool=<pool>`)");
  }
  pool_ = found;
  return pool_;
}

Status InstanceLimits::AddTo(const WorkspaceLimits& limits, Config& config, Devices& devices) {
  RP_ASSIGN_OR_RETURN(std::string pool, Pool());
  InstancePatch patch = LimitsPatch(limits, pool);
  for (auto& [key, value] : patch.config) config[key] = std::move(value);
  for (auto& [name, device] : patch.devices) devices[name] = std::move(device);
  return Status::Ok();
}

Status InstanceLimits::ApplyIfChanged(const Instance& instance, const WorkspaceLimits& limits) {
  RP_ASSIGN_OR_RETURN(std::string pool, Pool());
  InstancePatch patch = LimitsPatch(limits, pool);
  if (Carries(instance, patch)) return Status::Ok();
  Status patched = PatchInstance(*client_, instance.name, patch, "");
  return patched.ok() ? patched : patched.WithContext("set the limits of " + instance.name);
}

}  // namespace rockpool::incus
