#include "runtime/incus/quota_accounting.h"

#include <filesystem>

namespace rockpool::incus {

namespace fs = std::filesystem;

bool QuotaAccountingInconsistent(const std::string& output) {
  return output.find("qgroup data inconsistent") != std::string::npos;
}

Result<std::vector<std::string>> RepairQuotaAccounting(ProcessRunner& runner,
                                                       const std::string& pools_dir) {
  std::vector<std::string> rescanned;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(pools_dir, ec)) {
    if (!entry.is_directory(ec)) continue;
    const std::string pool = entry.path().string();
    auto shown = runner.Run({.argv = {"btrfs", "qgroup", "show", pool}});
    // Not btrfs, not mounted, or no quotas: nothing to keep consistent.
    if (!shown.ok() || shown->exit_code != 0) continue;
    if (!QuotaAccountingInconsistent(shown->output)) continue;
    auto rescan = runner.Run({.argv = {"btrfs", "quota", "rescan", "-w", pool}});
    if (!rescan.ok()) return rescan.status().WithContext("btrfs quota rescan " + pool);
    if (rescan->exit_code != 0) {
      return Status::Internal("btrfs quota rescan " + pool + ": " + rescan->output +
                              "; disk limits are not enforced until it succeeds");
    }
    rescanned.push_back(pool);
  }
  return rescanned;
}

}  // namespace rockpool::incus
