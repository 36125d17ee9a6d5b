#include "cli/backup.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "core/reverter.h"
#include "runtime/incus/sha256.h"
#include "store/clock.h"
#include "store/sqlite_db.h"
#include "store/sqlite_store.h"

#ifndef ROCKPOOL_VERSION
#define ROCKPOOL_VERSION "unknown"
#endif

namespace rockpool {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr char kStoreFile[] = "store.db";
constexpr char kSettingsDir[] = "settings";
constexpr char kWorkspacesDir[] = "workspaces";
constexpr char kAside[] = ".before-restore";

std::string Size(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

std::string Since(Clock::time_point start) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s",
                std::chrono::duration<double>(Clock::now() - start).count());
  return text;
}

Status MakePrivateDir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!ec) fs::permissions(dir, fs::perms::owner_all, ec);
  if (ec) return Status::Internal("create folder " + dir + ": " + ec.message());
  return Status::Ok();
}

Status MakePrivateFile(const std::string& path) {
  std::error_code ec;
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, ec);
  if (ec) return Status::Internal("make " + path + " private: " + ec.message());
  return Status::Ok();
}

Status CopyPrivate(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) return Status::Internal("copy " + from + " to " + to + ": " + ec.message());
  return MakePrivateFile(to);
}

// The backup folder: it must not exist yet, or be empty (a backup is never written over
// another). Returns whether this made it.
Result<bool> PrepareTarget(const std::string& target) {
  std::error_code ec;
  const auto status = fs::status(target, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      return Status::InvalidArgument("backup: " + target + " exists and is not a folder");
    }
    if (!fs::is_empty(target, ec)) {
      return Status::InvalidArgument("backup: " + target +
                                     " is not empty; give a new or empty folder (backups are "
                                     "never written over files, not even an older backup)");
    }
    RP_RETURN_IF_ERROR(MakePrivateDir(target));
    return false;
  }
  RP_RETURN_IF_ERROR(MakePrivateDir(target));
  return true;
}

Result<BackupFile> Describe(const std::string& dir, const std::string& relative) {
  const std::string path = dir + "/" + relative;
  std::error_code ec;
  const uint64_t size = fs::file_size(path, ec);
  if (ec) return Status::Internal("size of " + path + ": " + ec.message());
  RP_ASSIGN_OR_RETURN(std::string sum, incus::Sha256File(path));
  return BackupFile{relative, size, sum};
}

// The newest migration applied to the store at `path`; 0 when it has none.
Result<int> SchemaVersionOf(const std::string& path) {
  RP_ASSIGN_OR_RETURN(auto conn, sqlite::Connection::Open(path));
  auto stmt = conn->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!stmt.ok()) return 0;  // no schema_migrations table: an empty store
  RP_ASSIGN_OR_RETURN(bool row, (*stmt)->Step("read the schema version of " + path));
  return row ? static_cast<int>((*stmt)->Int(0)) : 0;
}

// How many workspaces the store at `path` holds; 0 when there is no store yet.
Result<int64_t> WorkspacesIn(const std::string& path) {
  if (!fs::exists(path)) return 0;
  RP_ASSIGN_OR_RETURN(auto conn, sqlite::Connection::Open(path));
  sqlite3_busy_timeout(conn->raw(), 5000);
  auto stmt = conn->Prepare("SELECT count(*) FROM workspaces");
  if (!stmt.ok()) return 0;  // no workspaces table: a store never migrated
  RP_ASSIGN_OR_RETURN(bool row, (*stmt)->Step("count the workspaces in " + path));
  return row ? (*stmt)->Int(0) : 0;
}

Status BackUpWorkspaces(const BackupPlan& plan, incus::WorkspaceArchiver& archiver,
                        const Progress& progress, BackupManifest& manifest) {
  RP_ASSIGN_OR_RETURN(auto workspaces, archiver.ListWorkspaces());
  RP_RETURN_IF_ERROR(MakePrivateDir(plan.target + "/" + kWorkspacesDir));
  for (const incus::WorkspaceInstance& ws : workspaces) {
    const std::string file = std::string(kWorkspacesDir) + "/" + ws.instance + ".tar.gz";
    const std::string path = plan.target + "/" + file;
    const auto start = Clock::now();
    Status exported = archiver.Export(ws.instance, path);
    if (!exported.ok()) return exported.WithContext("back up workspace " + ws.workspace);
    RP_RETURN_IF_ERROR(MakePrivateFile(path));
    RP_ASSIGN_OR_RETURN(BackupFile described, Describe(plan.target, file));
    progress("workspace " + ws.workspace + " (" + ws.instance + "): " + Size(described.size) +
             " in " + Since(start));
    manifest.files.push_back(described);
    manifest.workspaces.push_back({ws.workspace, ws.instance, file});
  }
  return Status::Ok();
}

Status WriteBackupFiles(const BackupPlan& plan, incus::WorkspaceArchiver* archiver,
                        const Progress& progress, BackupManifest& manifest) {
  if (!fs::exists(plan.database)) {
    return Status::NotFound("backup: there is no store at " + plan.database +
                            " (is ROCKPOOL_STATE_DIR right?)");
  }
  const auto start = Clock::now();
  const std::string store = plan.target + "/" + kStoreFile;
  RP_RETURN_IF_ERROR(sqlite::BackupDatabase(plan.database, store));
  RP_RETURN_IF_ERROR(MakePrivateFile(store));
  RP_ASSIGN_OR_RETURN(manifest.schema_version, SchemaVersionOf(store));
  RP_ASSIGN_OR_RETURN(BackupFile store_file, Describe(plan.target, kStoreFile));
  manifest.store_file = kStoreFile;
  manifest.files.push_back(store_file);
  progress("store: " + Size(store_file.size) + " in " + Since(start) + " (schema version " +
           std::to_string(manifest.schema_version) + ")");

  RP_ASSIGN_OR_RETURN(auto settings, SettingsFiles(plan.state_dir, plan.database));
  RP_RETURN_IF_ERROR(MakePrivateDir(plan.target + "/" + kSettingsDir));
  for (const std::string& name : settings) {
    const std::string relative = std::string(kSettingsDir) + "/" + name;
    RP_RETURN_IF_ERROR(CopyPrivate(plan.state_dir + "/" + name, plan.target + "/" + relative));
    RP_ASSIGN_OR_RETURN(BackupFile file, Describe(plan.target, relative));
    manifest.files.push_back(file);
    progress("settings: " + name);
  }

  if (plan.only_store) return Status::Ok();
  if (archiver == nullptr) return Status::Internal("backup: no engine to archive workspaces");
  return BackUpWorkspaces(plan, *archiver, progress, manifest);
}

// Moves `path` aside (to path + kAside) when it exists, with the undo that moves it back.
Status MoveAside(const std::string& path, Reverter& revert) {
  if (!fs::exists(fs::symlink_status(path))) return Status::Ok();
  const std::string aside = path + kAside;
  std::error_code ec;
  fs::rename(path, aside, ec);
  if (ec) return Status::Internal("move " + path + " aside: " + ec.message());
  revert.Add([path, aside] {
    std::error_code ignored;
    fs::rename(aside, path, ignored);
    if (ignored)
      std::fprintf(stderr, "restore: could not put %s back: %s\n", path.c_str(),
                   ignored.message().c_str());
  });
  return Status::Ok();
}

// Puts `from` (a finished private file) at `to`, moving what was there aside.
Status PutInPlace(const std::string& from, const std::string& to, Reverter& revert,
                  std::vector<std::string>& asides) {
  RP_RETURN_IF_ERROR(MoveAside(to, revert));
  asides.push_back(to + kAside);
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) return Status::Internal("move " + from + " to " + to + ": " + ec.message());
  revert.Add([to] {
    std::error_code ignored;
    fs::remove(to, ignored);
  });
  return Status::Ok();
}

Status CheckNoWorkspaces(const RestorePlan& plan, incus::WorkspaceArchiver& archiver) {
  RP_ASSIGN_OR_RETURN(int64_t stored, WorkspacesIn(plan.database));
  if (stored > 0) {
    return Status::Conflict("restore: the store " + plan.database + " holds " +
                            std::to_string(stored) +
                            " workspace(s); restore only into a deployment without workspaces: "
                            "delete them (rockpool ws rm <name>) or use another "
                            "ROCKPOOL_STATE_DIR");
  }
  RP_ASSIGN_OR_RETURN(auto existing, archiver.ListWorkspaces());
  if (!existing.empty()) {
    std::string names;
    for (const auto& ws : existing) names += (names.empty() ? "" : ", ") + ws.instance;
    return Status::Conflict("restore: the engine already has workspace instances (" + names +
                            "); restore only into a deployment without workspaces: delete "
                            "them first (lxc delete --force <instance>)");
  }
  return Status::Ok();
}

// The engine brings every imported instance back stopped. A workspace the backed-up store
// has as running (and no job is about to change) is recorded as stopped, with the reason:
// left running, the reconciler would find its instance stopped and put it in error.
Result<int> MarkRunningAsStopped(const std::string& database) {
  RP_ASSIGN_OR_RETURN(auto db, sqlite::Connection::Open(database));
  RP_ASSIGN_OR_RETURN(
      auto update,
      db->Prepare("UPDATE workspaces SET status = 'stopped', status_reason = ?1, updated_at = ?2 "
                  "WHERE status = 'running' AND id NOT IN (SELECT workspace_id FROM jobs "
                  "WHERE state IN ('queued', 'running'))"));
  update->Bind(1, "restored from a backup; start it again")
      .Bind(2, FormatTime(std::chrono::system_clock::now()));
  RP_RETURN_IF_ERROR(update->Run("restore: record the restored workspaces as stopped"));
  return update->Changes();
}

Status RestoreFiles(const RestorePlan& plan, const BackupManifest& manifest,
                    incus::WorkspaceArchiver& archiver, const Progress& progress) {
  Reverter revert;
  for (const BackupWorkspace& ws : manifest.workspaces) {
    const auto start = Clock::now();
    Status imported = archiver.Import(plan.source + "/" + ws.file, ws.instance);
    if (!imported.ok()) return imported.WithContext("restore workspace " + ws.name);
    revert.Add([&archiver, instance = ws.instance] {
      Status removed = archiver.Remove(instance);
      if (!removed.ok()) {
        std::fprintf(stderr, "restore: could not remove the imported %s: %s\n", instance.c_str(),
                     removed.message().c_str());
      }
    });
    progress("workspace " + ws.name + " (" + ws.instance + "): imported in " + Since(start));
  }

  RP_RETURN_IF_ERROR(MakePrivateDir(plan.state_dir));
  std::vector<std::string> asides;
  const std::string settings_prefix = std::string(kSettingsDir) + "/";
  for (const BackupFile& f : manifest.files) {
    if (!f.path.starts_with(settings_prefix)) continue;
    const std::string name = f.path.substr(settings_prefix.size());
    const std::string dest = plan.state_dir + "/" + name;
    const std::string tmp = dest + ".restoring";
    RP_RETURN_IF_ERROR(CopyPrivate(plan.source + "/" + f.path, tmp));
    RP_RETURN_IF_ERROR(PutInPlace(tmp, dest, revert, asides));
    progress("settings: " + name);
  }

  const std::string tmp = plan.database + ".restoring";
  std::error_code ec;
  fs::remove(tmp, ec);
  RP_RETURN_IF_ERROR(sqlite::BackupDatabase(plan.source + "/" + manifest.store_file, tmp));
  RP_ASSIGN_OR_RETURN(int stopped, MarkRunningAsStopped(tmp));
  if (stopped > 0) {
    progress("store: " + std::to_string(stopped) +
             " workspace(s) that ran at the backup are stopped (their instances come back "
             "stopped); start them with: rockpool ws start <name>");
  }
  RP_RETURN_IF_ERROR(MakePrivateFile(tmp));
  // The old store's log files must not meet the new store.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    RP_RETURN_IF_ERROR(MoveAside(plan.database + suffix, revert));
    asides.push_back(plan.database + suffix + kAside);
  }
  RP_RETURN_IF_ERROR(PutInPlace(tmp, plan.database, revert, asides));
  progress("store: " + plan.database);

  revert.Success();
  for (const std::string& aside : asides) fs::remove(aside, ec);
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> SettingsFiles(const std::string& state_dir,
                                               const std::string& database) {
  const std::string db_name = fs::path(database).filename().string();
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(state_dir, ec)) {
    if (!entry.is_regular_file()) continue;  // not sockets, folders or links
    const std::string name = entry.path().filename().string();
    if (name.starts_with(db_name) || name.ends_with(".pid") || name.ends_with(kAside) ||
        name.ends_with(".restoring")) {
      continue;
    }
    out.push_back(name);
  }
  if (ec) return Status::Internal("list " + state_dir + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

Result<BackupManifest> WriteBackup(const BackupPlan& plan, incus::WorkspaceArchiver* archiver,
                                   const Progress& progress) {
  RP_ASSIGN_OR_RETURN(bool made_target, PrepareTarget(plan.target));
  BackupManifest manifest;
  manifest.created_at = FormatTime(std::chrono::system_clock::now());
  manifest.rockpool_version = ROCKPOOL_VERSION;
  manifest.engine = plan.engine;
  manifest.only_store = plan.only_store;
  Status st = WriteBackupFiles(plan, archiver, progress, manifest);
  if (st.ok()) st = WriteManifest(plan.target, manifest);
  if (!st.ok()) {
    // Nothing half-written stays: the folder was empty (or absent) before.
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(plan.target, ec)) fs::remove_all(entry, ec);
    if (made_target) fs::remove(plan.target, ec);
    return st;
  }
  return manifest;
}

Status RestoreBackup(const RestorePlan& plan, incus::WorkspaceArchiver& archiver,
                     const Progress& progress) {
  RP_ASSIGN_OR_RETURN(BackupManifest manifest, ReadManifest(plan.source));
  RP_RETURN_IF_ERROR(VerifyBackupFiles(plan.source, manifest));
  progress("checked " + std::to_string(manifest.files.size()) + " files against " + kManifestFile);
  if (manifest.schema_version > SqliteStore::SchemaVersion()) {
    return Status::InvalidArgument(
        "restore: the backup's store has schema version " +
        std::to_string(manifest.schema_version) + ", newer than this build knows (" +
        std::to_string(SqliteStore::SchemaVersion()) + "); restore it with Rockpool " +
        manifest.rockpool_version + " or newer");
  }
  if (plan.prepare_engine) RP_RETURN_IF_ERROR(plan.prepare_engine());
  RP_RETURN_IF_ERROR(CheckNoWorkspaces(plan, archiver));
  return RestoreFiles(plan, manifest, archiver, progress);
}

}  // namespace rockpool
