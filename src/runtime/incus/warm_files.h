// Page-cache warming for an instance that has never run. A copy of a template is a new btrfs
// subvolume: its files are new inodes with nothing cached, and the first boot of code-server
// reads about 400 MB of them cold. Reading them from the host beforehand (the subvolume is
// mounted there) leaves them cached for the instance: its first start is then as fast as a
// restart.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace rockpool::incus {

// Where the daemon keeps an instance's root file system on the host, for a daemon listening
// on `socket_path` (its state folder holds storage-pools/<pool>/containers/<instance>/rootfs,
// or <project>_<instance> for an instance of a project other than the default one).
// NotFound when no pool holds it there (a storage driver that does not mount it).
Result<std::string> InstanceRootOnHost(const std::string& socket_path, const std::string& project,
                                       const std::string& instance);

// Reads every regular file under `root`/<path> for each of `paths` into the page cache
// (readahead, no copy). Missing paths are skipped. Returns the bytes covered.
Result<uint64_t> WarmFiles(const std::string& root, const std::vector<std::string>& paths);

}  // namespace rockpool::incus
