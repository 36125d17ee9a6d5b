#include "runtime/snapshot_book.h"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace rockpool {
namespace {

std::string What(const std::string& name, const std::string& snapshot) {
  return "snapshot " + snapshot + " of instance " + name;
}

}  // namespace

std::vector<SnapshotInfo> SnapshotBook::List(const std::string& name) const {
  auto it = snapshots_.find(name);
  return it == snapshots_.end() ? std::vector<SnapshotInfo>{} : it->second;
}

Result<SnapshotInfo> SnapshotBook::Add(const std::string& name, const std::string& snapshot) {
  if (Check(name, snapshot).ok()) return Status::AlreadyExists(What(name, snapshot) + " exists");
  SnapshotInfo info{snapshot, NowRfc3339()};
  snapshots_[name].push_back(info);
  return info;
}

Status SnapshotBook::Check(const std::string& name, const std::string& snapshot) const {
  auto it = snapshots_.find(name);
  if (it != snapshots_.end() &&
      std::any_of(it->second.begin(), it->second.end(),
                  [&](const SnapshotInfo& s) { return s.name == snapshot; })) {
    return Status::Ok();
  }
  return Status::NotFound(What(name, snapshot) + " not found");
}

Status SnapshotBook::Remove(const std::string& name, const std::string& snapshot) {
  RP_RETURN_IF_ERROR(Check(name, snapshot));
  std::erase_if(snapshots_[name], [&](const SnapshotInfo& s) { return s.name == snapshot; });
  return Status::Ok();
}

std::string NowRfc3339() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(millis));
  return out;
}

}  // namespace rockpool
