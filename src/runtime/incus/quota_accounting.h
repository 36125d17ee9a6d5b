// btrfs enforces a workspace's disk limit (a qgroup limit) only while its quota accounting is
// consistent. The kernel marks it inconsistent when, e.g., a subvolume that had snapshots is
// deleted while its extents are still being freed, and from then on writes can pass any limit
// until the accounting is rescanned. RepairQuotaAccounting looks at every pool mounted under
// `pools_dir` (<daemon dir>/storage-pools) with `btrfs qgroup show` and rescans the ones marked
// (`btrfs quota rescan -w`: about a second on a pool of a few GiB). Pools that are not local
// btrfs mounts, or have no quotas, are left alone.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "sys/process.h"

namespace rockpool::incus {

// The pools it rescanned. Errors name the pool and what btrfs said.
Result<std::vector<std::string>> RepairQuotaAccounting(ProcessRunner& runner,
                                                       const std::string& pools_dir);

// Whether `btrfs qgroup show` output says the accounting is inconsistent.
bool QuotaAccountingInconsistent(const std::string& qgroup_show_output);

}  // namespace rockpool::incus
