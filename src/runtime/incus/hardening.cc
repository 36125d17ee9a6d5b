#include "runtime/incus/hardening.h"

#include <map>

#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/instance_state.h"

namespace rockpool::incus {
namespace {

constexpr char kIdmapIsolated[] = "security.idmap.isolated";
constexpr char kDevlxd[] = "security.devlxd";
constexpr char kIdmapNext[] = "volatile.idmap.next";
constexpr char kIdmapOnDisk[] = "volatile.last_state.idmap";
constexpr char kIdmapBase[] = "volatile.idmap.base";

bool IsWorkspace(const Instance& instance) {
  return instance.Label(kLabelManaged) == "true" && !instance.Label(kLabelWorkspace).empty() &&
         instance.Label(kLabelTemplate) != "true";
}

bool NicHardened(const Instance& instance, const Hardening& hardening) {
  auto it = instance.devices.find(kNicDevice);
  if (it == instance.devices.end()) return false;
  for (const auto& [key, value] : HardenedNic(hardening)) {
    auto have = it->second.find(key);
    if (have == it->second.end() || have->second != value) return false;
  }
  return true;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

HardeningCheck Summarize(const std::string& what, const std::vector<std::string>& lacking,
                         size_t total, const std::string& in_place) {
  if (lacking.empty()) {
    return {what, true, in_place + " on all " + std::to_string(total) + " workspace instances", ""};
  }
  return {what, false, "missing on " + Join(lacking),
          "stop and start each of them (rockpool ws stop <name> && rockpool ws start <name>): "
          "a workspace's start adds it"};
}

}  // namespace

Hardening HardeningOf(const IncusRuntimeOptions& options) {
  return {options.network, options.isolated_idmap};
}

Config HardenedConfig(const Hardening& hardening) {
  Config config = {{kDevlxd, "false"}};
  if (hardening.isolated_idmap) config[kIdmapIsolated] = "true";
  return config;
}

Device HardenedNic(const Hardening& hardening) {
  return {{"type", "nic"},
          {"name", "eth0"},
          {"network", hardening.network},
          {"security.port_isolation", "true"},
          {"security.mac_filtering", "true"},
          {"security.ipv4_filtering", "true"},
          {"security.ipv6_filtering", "true"}};
}

void AddHardening(InstancesPost& post, const Hardening& hardening) {
  for (const auto& [key, value] : HardenedConfig(hardening)) post.config[key] = value;
  post.devices[kNicDevice] = HardenedNic(hardening);
}

InstancePatch MissingHardening(const Instance& instance, const Hardening& hardening) {
  InstancePatch patch;
  for (const auto& [key, value] : HardenedConfig(hardening)) {
    if (instance.Label(key) != value) patch.config[key] = value;
  }
  if (!NicHardened(instance, hardening)) patch.devices[kNicDevice] = HardenedNic(hardening);
  return patch;
}

Status Harden(IncusClient& client, const Instance& instance, const Hardening& hardening) {
  InstancePatch missing = MissingHardening(instance, hardening);
  if (missing.config.empty() && missing.devices.empty()) return Status::Ok();
  return PatchInstance(client, instance.name, missing, instance.etag)
      .WithContext("incus: isolate instance " + instance.name);
}

bool IdmapPending(const Instance& instance) {
  const std::string next = instance.Label(kIdmapNext);
  return !next.empty() && next != instance.Label(kIdmapOnDisk);
}

Status ShiftIdmap(IncusClient& client, const std::string& name, std::chrono::seconds timeout) {
  RP_ASSIGN_OR_RETURN(Instance current, GetInstance(client, name, false));
  if (!IdmapPending(current)) return Status::Ok();
  const std::string context = "incus: shift the files of " + name + " to its own id map";
  Status started = PutInstanceState(client, name, {.action = "start", .timeout = 30}, timeout);
  Status stopped =
      PutInstanceState(client, name, {.action = "stop", .timeout = -1, .force = true}, timeout);
  if (!started.ok()) return started.WithContext(context);
  return stopped.ok() ? Status::Ok() : stopped.WithContext(context);
}

Result<std::vector<HardeningCheck>> CheckHardening(IncusClient& client,
                                                   const Hardening& hardening) {
  RP_ASSIGN_OR_RETURN(std::vector<Instance> all, GetInstances(client, false));
  std::vector<std::string> no_nic, no_idmap, with_devlxd;
  std::map<std::string, std::vector<std::string>> by_base;  // isolated host id ranges
  size_t total = 0;
  for (const Instance& instance : all) {
    if (!IsWorkspace(instance)) continue;
    ++total;
    const std::string ws = instance.Label(kLabelWorkspace);
    if (!NicHardened(instance, hardening)) no_nic.push_back(ws);
    if (instance.Label(kDevlxd) != "false") with_devlxd.push_back(ws);
    if (instance.Label(kIdmapIsolated) != "true") {
      no_idmap.push_back(ws);
    } else if (!instance.Label(kIdmapBase).empty()) {
      by_base[instance.Label(kIdmapBase)].push_back(ws);
    }
  }
  std::vector<HardeningCheck> checks = {
      Summarize("nic isolation", no_nic, total,
                "eth0 on " + hardening.network + " with port isolation and MAC/IP filtering"),
      Summarize("devlxd", with_devlxd, total, "/dev/lxd off")};
  if (hardening.isolated_idmap) {
    HardeningCheck idmap = Summarize("isolated idmap", no_idmap, total, "a host id range each");
    for (const auto& [base, names] : by_base) {
      if (names.size() < 2) continue;
      idmap.ok = false;
      idmap.detail += std::string(idmap.detail.empty() ? "" : "; ") + Join(names) +
                      " share host ids from " + base;
      idmap.fix = "the engine gave them one range: recreate all but one of those workspaces";
    }
    checks.push_back(idmap);
  }
  return checks;
}

}  // namespace rockpool::incus
