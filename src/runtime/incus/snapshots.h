// Snapshots: /1.0/instances/<name>/snapshots[/<snapshot>] and the restore PUT. Every change is
// an async operation this waits for; LXD deletes an instance's snapshots with the instance.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "runtime/incus/incus_client.h"

namespace rockpool::incus {

struct InstanceSnapshot {
  std::string name;        // the snapshot's own name, without "<instance>/"
  std::string created_at;  // as the daemon wrote it (RFC 3339)
};

// GET .../snapshots?recursion=1, oldest first. NotFound when the instance is missing.
Result<std::vector<InstanceSnapshot>> GetSnapshots(IncusClient& client,
                                                   const std::string& instance);
// POST .../snapshots {"name", "stateful": false}: the filesystem only, running or not.
Status CreateSnapshot(IncusClient& client, const std::string& instance, const std::string& snapshot,
                      std::chrono::seconds timeout);
// PUT /1.0/instances/<name> {"restore": snapshot}.
Status RestoreSnapshot(IncusClient& client, const std::string& instance,
                       const std::string& snapshot, std::chrono::seconds timeout);
// DELETE .../snapshots/<snapshot>.
Status DeleteSnapshot(IncusClient& client, const std::string& instance, const std::string& snapshot,
                      std::chrono::seconds timeout);

}  // namespace rockpool::incus
