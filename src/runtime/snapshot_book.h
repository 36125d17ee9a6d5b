// SnapshotBook: snapshots kept in memory, per workspace, for the runtimes that simulate an
// engine (runtime/sim in dev mode, runtime/fake in tests). Not thread-safe: the owner locks.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "runtime/runtime.h"

namespace rockpool {

class SnapshotBook {
 public:
  // Oldest first; empty for a workspace without any.
  std::vector<SnapshotInfo> List(const std::string& name) const;
  // Records `snapshot` made now. AlreadyExists when the workspace has one of that name.
  Result<SnapshotInfo> Add(const std::string& name, const std::string& snapshot);
  // Ok when the workspace has `snapshot`, else NotFound.
  Status Check(const std::string& name, const std::string& snapshot) const;
  Status Remove(const std::string& name, const std::string& snapshot);  // NotFound
  // Forgets every snapshot of the workspace (its instance was removed).
  void Drop(const std::string& name) { snapshots_.erase(name); }

 private:
  std::map<std::string, std::vector<SnapshotInfo>> snapshots_;
};

// The current time as RFC 3339 in UTC with milliseconds ("2026-01-01T00:00:00.000Z").
std::string NowRfc3339();

}  // namespace rockpool
