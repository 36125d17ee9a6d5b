// btrfs enforces a workspace's disk limit (a qgroup limit) only while its quota accounting is
// consistent. The kernel marks it inconsistent when, e.g., a subvolume that had snapshots is
// deleted while its extents are still being freed; from then on the numbers the limits are
// checked against can be wrong (a workspace wrote 4 GiB past a 3 GiB limit), until the
// accounting is rescanned. QuotaKeeper looks at every pool mounted under `pools_dir`
// (<daemon dir>/storage-pools) and rescans the ones marked (`btrfs quota rescan -w`: about a
// second on a pool of a few GiB). Pools that are not local btrfs mounts, or have no quotas, are
// left alone.
//
// The look is cheap: the kernel shows the mark in sysfs (/sys/fs/btrfs/<uuid>/qgroups/
// inconsistent), so a check of a consistent pool reads two small files; `btrfs qgroup show`
// runs only on kernels without that file. A pool's UUID is asked of btrfs once.
//
// It also keeps the kernel from marking the accounting on deletion of a large workspace: since
// Linux 6.7 the kernel skips the accounting of a dropped subtree of 3 levels or more (about
// 120,000 tree blocks of one subvolume, millions of files) and marks the accounting
// inconsistent instead (qgroups/drop_subtree_threshold). QuotaKeeper raises the threshold of
// Rockpool's pools to 8, above the deepest btrfs tree, so every deletion is accounted.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "sys/process.h"

namespace rockpool::incus {

class QuotaKeeper {
 public:
  // `sysfs_dir` is where the kernel lists mounted btrfs filesystems by UUID.
  QuotaKeeper(ProcessRunner& runner, std::string pools_dir,
              std::string sysfs_dir = "/sys/fs/btrfs");

  // Rescans the pools marked inconsistent; returns them. Errors name the pool and what btrfs
  // said. Safe to call from several threads.
  Result<std::vector<std::string>> Repair();

 private:
  // The UUID of the btrfs filesystem mounted at `pool`, or "" when it is not one.
  std::string UuidOf(const std::string& pool);
  // Whether the accounting of `pool` is marked inconsistent; false when it has no quotas.
  bool Marked(const std::string& pool);

  ProcessRunner& runner_;
  const std::string pools_dir_;
  const std::string sysfs_dir_;
  std::mutex mu_;
  std::map<std::string, std::string> uuids_;  // pool -> filesystem UUID; GUARDED_BY(mu_)
};

// Whether `btrfs qgroup show` output says the accounting is inconsistent.
bool QuotaAccountingInconsistent(const std::string& qgroup_show_output);

// The filesystem UUID in `btrfs filesystem show` output, or "" when there is none.
std::string FilesystemUuid(const std::string& filesystem_show_output);

}  // namespace rockpool::incus
