// Instance backups: POST/GET/DELETE /1.0/instances/<name>/backups[/<backup>[/export]], and
// importing a backup tarball as a new instance (POST /1.0/instances, octet-stream body).
// WorkspaceArchiver is what `rockpool backup`/`restore` see of the engine, so their logic is
// tested on a fake; IncusArchiver is the real one.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/incus/incus_client.h"

namespace rockpool::incus {

struct InstanceBackupsPost {
  std::string name;
  bool instance_only = true;       // without the instance's snapshots
  bool optimized_storage = false;  // a driver-specific image (btrfs send) imports only there
  std::string compression_algorithm = "gzip";
};
Json ToJson(const InstanceBackupsPost& post);

// Makes backup `post.name` of `instance` on the daemon and waits for it (up to `timeout`).
Status CreateInstanceBackup(IncusClient& client, const std::string& instance,
                            const InstanceBackupsPost& post, std::chrono::seconds timeout);
// Streams the backup's tarball into `path` (never held in memory).
Status ExportInstanceBackup(IncusClient& client, const std::string& instance,
                            const std::string& backup, const std::string& path,
                            std::chrono::seconds timeout);
Status DeleteInstanceBackup(IncusClient& client, const std::string& instance,
                            const std::string& backup, std::chrono::seconds timeout);

struct InstancesPostBackup {
  std::string tarball_path;  // streamed as the body
  std::string name;          // the new instance's name; empty: the name in the backup
  std::string pool;          // the storage pool to put it in; empty: the backup's
};
// Imports a backup tarball as a new, stopped instance and waits for it.
Status ImportInstanceBackup(IncusClient& client, const InstancesPostBackup& post,
                            std::chrono::seconds timeout);

// A workspace instance as found on the engine (by its labels).
struct WorkspaceInstance {
  std::string workspace;  // user.rockpool.workspace
  std::string instance;   // the engine's name, "rp-<workspace>"
};

class WorkspaceArchiver {
 public:
  virtual ~WorkspaceArchiver() = default;
  // Every workspace instance, sorted by instance name (templates and spares are not).
  virtual Result<std::vector<WorkspaceInstance>> ListWorkspaces() = 0;
  // Writes a complete, self-contained archive of `instance` (its filesystem and config,
  // labels included) to `path`; leaves nothing behind on the engine.
  virtual Status Export(const std::string& instance, const std::string& path) = 0;
  // Makes `instance` again, stopped, from an archive Export wrote.
  virtual Status Import(const std::string& path, const std::string& instance) = 0;
  // Deletes `instance`, stopping it first when it runs (undo of Import).
  virtual Status Remove(const std::string& instance) = 0;
};

struct IncusArchiverOptions {
  std::string storage_pool;  // where imports go; empty: the pool named in the archive
  bool optimized_storage = false;
  std::string compression = "gzip";
  std::chrono::seconds timeout{3600};  // per backup, export or import
};

class IncusArchiver final : public WorkspaceArchiver {
 public:
  IncusArchiver(std::shared_ptr<IncusClient> client, IncusArchiverOptions options);

  Result<std::vector<WorkspaceInstance>> ListWorkspaces() override;
  Status Export(const std::string& instance, const std::string& path) override;
  Status Import(const std::string& path, const std::string& instance) override;
  Status Remove(const std::string& instance) override;

 private:
  std::shared_ptr<IncusClient> client_;
  IncusArchiverOptions options_;
};

}  // namespace rockpool::incus
