// Backup and restore of one Rockpool deployment: the store (an online SQLite backup, so the
// control plane keeps running), the settings files of the state folder (credentials), and
// each workspace's instance as the engine archives it. A backup is a directory:
//   manifest.json            written last: versions, files and SHA-256s, workspaces
//   store.db                 the store
//   settings/<file>          auth.json and the other settings of the state folder
//   workspaces/<instance>.tar.gz
// Everything is 0600 in 0700 folders: the backup holds credentials.
#pragma once

#include <functional>
#include <string>

#include "cli/backup_manifest.h"
#include "runtime/incus/backups.h"

namespace rockpool {

// Where progress lines go ("workspace demo (rp-demo): 312.4 MiB in 8.2 s").
using Progress = std::function<void(const std::string&)>;

struct BackupPlan {
  std::string state_dir;  // settings come from its top level
  std::string database;   // the live store
  std::string target;     // must not exist, or be an empty directory
  bool only_store = false;
  std::string engine;  // recorded in the manifest
};

// Writes the backup. `archiver` may be null only with only_store. On failure nothing of the
// backup is left in `target` (the folder itself too, when this made it).
Result<BackupManifest> WriteBackup(const BackupPlan& plan, incus::WorkspaceArchiver* archiver,
                                   const Progress& progress);

struct RestorePlan {
  std::string source;     // a backup directory
  std::string state_dir;  // settings go back here
  std::string database;   // the store goes back here
  // Run once the backup is verified, before the engine is asked anything (makes the project).
  std::function<Status()> prepare_engine;
};

// Verifies every checksum first, refuses a deployment that has workspaces (in the store or on
// the engine), imports every workspace instance, then puts the settings and the store back.
// On failure the instances imported so far are removed and replaced files put back.
Status RestoreBackup(const RestorePlan& plan, incus::WorkspaceArchiver& archiver,
                     const Progress& progress);

// Settings files of the state folder: its regular top-level files except the store's own files
// and pid files (sockets and folders are not settings).
Result<std::vector<std::string>> SettingsFiles(const std::string& state_dir,
                                               const std::string& database);

}  // namespace rockpool
