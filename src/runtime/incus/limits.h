// Workspace limits as instance configuration, in keys LXD 5.0 and Incus share: a CPU-time
// quota (limits.cpu.allowance "<ms>ms/100ms"), limits.memory, limits.processes, and a root
// disk device of the instance's own, overriding the profile's, with a `size` (on a btrfs pool
// a qgroup limit). IncusRuntime puts them into the request that makes an instance (the copy,
// or the patch that turns a renamed spare into the workspace) and, before a start, patches
// only an instance whose limits differ.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/limits.h"
#include "runtime/incus/incus_client.h"
#include "runtime/incus/instances.h"

namespace rockpool::incus {

inline constexpr char kCpuAllowanceKey[] = "limits.cpu.allowance";
inline constexpr char kMemoryKey[] = "limits.memory";
inline constexpr char kProcessesKey[] = "limits.processes";
inline constexpr char kRootDevice[] = "root";

// The config keys and root disk device (on `pool`) that carry `limits`.
InstancePatch LimitsPatch(const WorkspaceLimits& limits, const std::string& pool);

// Whether `instance`'s own config and devices hold every key and device of `patch` as is.
bool Carries(const Instance& instance, const InstancePatch& patch);

class InstanceLimits {
 public:
  // `pool`: the storage pool of the instances' root disks; empty: the pool of the root disk
  // the last of `profiles` with one gives, read from the daemon once and then remembered.
  InstanceLimits(std::shared_ptr<IncusClient> client, std::string pool,
                 std::vector<std::string> profiles);

  // Adds the keys and root device that carry `limits` to `config` and `devices`.
  Status AddTo(const WorkspaceLimits& limits, Config& config, Devices& devices);
  // Gives the stopped `instance` `limits` in one PATCH when its own differ; else does nothing.
  Status ApplyIfChanged(const Instance& instance, const WorkspaceLimits& limits);

 private:
  Result<std::string> Pool();

  std::shared_ptr<IncusClient> client_;
  const std::vector<std::string> profiles_;
  std::mutex mu_;
  std::string pool_;  // GUARDED_BY(mu_)
};

}  // namespace rockpool::incus
