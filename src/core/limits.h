// Resource limits of one workspace, and the deployment's policy for them: the defaults a
// create request that names no limit gets, and the maximums no request may exceed.
// No I/O: the settings are read through a lookup function the caller passes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rockpool {

// What one workspace may use. A default-constructed value holds the built-in defaults.
struct WorkspaceLimits {
  // CPU time as a number of cores, enforced as a quota (1.5: 150 ms of CPU time per 100 ms),
  // in steps of 0.01 core.
  double cpus = 1.0;
  int64_t memory_mib = 2048;  // RAM; the kernel kills the workspace's largest process past it
  int64_t processes = 1024;   // tasks: processes and threads together
  int64_t disk_gib = 10;      // size of the root filesystem

  bool operator==(const WorkspaceLimits&) const = default;
};

// The smallest values a workspace can be given (and that the contract accepts).
inline constexpr WorkspaceLimits kMinLimits{0.01, 128, 32, 1};
// Built-in maximums, for a small server; deployments raise them with ROCKPOOL_MAX_*.
inline constexpr WorkspaceLimits kDefaultMaxLimits{2.0, 8192, 4096, 50};

// What a create request asks for; a missing field takes the deployment's default.
struct LimitsRequest {
  std::optional<double> cpus;
  std::optional<int64_t> memory_mib;
  std::optional<int64_t> processes;
  std::optional<int64_t> disk_gib;
};

struct LimitsPolicy {
  WorkspaceLimits defaults;
  WorkspaceLimits maximums = kDefaultMaxLimits;

  // The limits a workspace gets for `request`. InvalidArgument when a value is below
  // kMinLimits or cpus is not a multiple of 0.01; OutOfRange, naming the field (as the API
  // spells it) and the maximum, when a value is above `maximums`.
  Result<WorkspaceLimits> Resolve(const LimitsRequest& request) const;
};

// CPU time per 100 ms period in milliseconds: 1.5 cores -> 150.
int64_t CpuMillisPer100ms(double cpus);

// Reads a setting by name; nullopt (or "") when it is not set.
using SettingLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The policy from ROCKPOOL_DEFAULT_{CPUS,MEMORY_MIB,PROCESSES,DISK_GIB} and ROCKPOOL_MAX_*
// (unset: the built-in values). InvalidArgument naming the setting when a value is not a
// number, is below kMinLimits, or when a default is above its maximum.
Result<LimitsPolicy> LimitsPolicyFromSettings(const SettingLookup& lookup);

}  // namespace rockpool
