#include "runtime/incus/quota_accounting.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <regex>

namespace rockpool::incus {

namespace fs = std::filesystem;

namespace {

// The deepest btrfs tree has level 7: at 8 no dropped subtree is left unaccounted.
constexpr int kAccountEveryDrop = 8;

// The first word of a small sysfs file, or "" when it cannot be read.
std::string ReadWord(const fs::path& file) {
  std::ifstream in(file);
  std::string word;
  in >> word;
  return word;
}

}  // namespace

bool QuotaAccountingInconsistent(const std::string& output) {
  return output.find("qgroup data inconsistent") != std::string::npos;
}

std::string FilesystemUuid(const std::string& output) {
  static const std::regex kUuid(R"(uuid: ([0-9a-fA-F-]{36}))");
  std::smatch match;
  return std::regex_search(output, match, kUuid) ? match[1].str() : "";
}

QuotaKeeper::QuotaKeeper(ProcessRunner& runner, std::string pools_dir, std::string sysfs_dir)
    : runner_(runner), pools_dir_(std::move(pools_dir)), sysfs_dir_(std::move(sysfs_dir)) {}

std::string QuotaKeeper::UuidOf(const std::string& pool) {
  {
    std::lock_guard lock(mu_);
    if (auto it = uuids_.find(pool); it != uuids_.end()) return it->second;
  }
  auto shown = runner_.Run({.argv = {"btrfs", "filesystem", "show", pool}});
  // Not btrfs, or not mounted yet: asked again next time.
  if (!shown.ok() || shown->exit_code != 0) return "";
  std::string uuid = FilesystemUuid(shown->output);
  if (!uuid.empty()) {
    std::lock_guard lock(mu_);
    uuids_[pool] = uuid;
  }
  return uuid;
}

bool QuotaKeeper::Marked(const std::string& pool) {
  const std::string uuid = UuidOf(pool);
  if (uuid.empty()) return false;
  const fs::path qgroups = fs::path(sysfs_dir_) / uuid / "qgroups";
  const std::string inconsistent = ReadWord(qgroups / "inconsistent");
  if (!inconsistent.empty()) {
    if (ReadWord(qgroups / "enabled") == "0") return false;
    const fs::path knob = qgroups / "drop_subtree_threshold";
    const std::string threshold = ReadWord(knob);
    int level = kAccountEveryDrop;
    std::from_chars(threshold.data(), threshold.data() + threshold.size(), level);
    if (level < kAccountEveryDrop) {
      std::ofstream out(knob);
      out << kAccountEveryDrop << "\n";
      out.flush();
      if (!out) {
        spdlog::warn(
            "{}: could not raise {} from {} to {}: deleting a very large workspace "
            "may leave disk limits unenforced until the next check",
            pool, knob.string(), threshold, kAccountEveryDrop);
      }
    }
    return inconsistent == "1";
  }
  // A kernel that does not show the mark in sysfs: ask btrfs. It fails without quotas.
  auto shown = runner_.Run({.argv = {"btrfs", "qgroup", "show", pool}});
  return shown.ok() && shown->exit_code == 0 && QuotaAccountingInconsistent(shown->output);
}

Result<std::vector<std::string>> QuotaKeeper::Repair() {
  std::vector<std::string> rescanned;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(pools_dir_, ec)) {
    if (!entry.is_directory(ec)) continue;
    const std::string pool = entry.path().string();
    if (!Marked(pool)) continue;
    auto rescan = runner_.Run({.argv = {"btrfs", "quota", "rescan", "-w", pool}});
    if (!rescan.ok()) return rescan.status().WithContext("btrfs quota rescan " + pool);
    if (rescan->exit_code != 0 && rescan->output.find("in progress") != std::string::npos) {
      // Another Rockpool process (the control plane or the worker) started it: wait for it.
      rescan = runner_.Run({.argv = {"btrfs", "quota", "rescan", "-W", pool}});
      if (!rescan.ok()) return rescan.status().WithContext("btrfs quota rescan " + pool);
    }
    if (rescan->exit_code != 0) {
      return Status::Internal("btrfs quota rescan " + pool + ": " + rescan->output +
                              "; disk limits are not enforced until it succeeds");
    }
    rescanned.push_back(pool);
  }
  return rescanned;
}

}  // namespace rockpool::incus
