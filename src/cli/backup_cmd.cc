// rockpool backup <dir> [--only-store]: the store, settings and every workspace, while the
// control plane keeps running. rockpool restore <dir>: all of it back, into a deployment
// without workspaces whose control plane is stopped; `rockpool up` then resumes.
#include <sys/stat.h>

#include <cstdio>

#include "cli/backup.h"
#include "cli/commands.h"
#include "cli/steps.h"
#include "http/curl_client.h"
#include "runtime/incus/incus_client.h"

namespace rockpool {
namespace {

void Say(const std::string& line) {
  std::printf("  %s\n", line.c_str());
  std::fflush(stdout);
}

// "lxd 5.0.2", from GET /1.0.
Result<std::string> EngineVersion(incus::IncusClient& engine) {
  auto r = engine.Call({.path = "/1.0", .timeout = std::chrono::seconds(10)});
  if (!r.ok()) return r.status().WithContext("backup: ask the engine for its version");
  const auto env = r->metadata.value("environment", nlohmann::json::object());
  return env.value("server", "lxd") + " " + env.value("server_version", "?");
}

// The workspaces of the deployment's project.
Result<std::unique_ptr<incus::IncusArchiver>> Archiver(Context& ctx) {
  RP_ASSIGN_OR_RETURN(auto engine, ctx.engine());
  return std::make_unique<incus::IncusArchiver>(
      engine->InProject(ctx.config().project),
      incus::IncusArchiverOptions{.storage_pool = ctx.config().pool});
}

// Backups copy the SQLite store; a PostgreSQL store is the database's administrator's to back up.
Status RefusePostgres(const Config& c, std::string_view what) {
  if (!c.postgres_store()) return Status::Ok();
  return Status::InvalidArgument(
      std::string(what) + ": this deployment's store is the PostgreSQL database " +
      c.DatabaseForDisplay() +
      " (ROCKPOOL_DATABASE_URL), which rockpool backup does not copy; back it up with pg_dump "
      "and restore it with pg_restore");
}

Status Backup(Context& ctx, const std::string& dir, bool only_store) {
  ::umask(077);  // what the backup holds is root's alone, whatever is made along the way
  const Config& c = ctx.config();
  RP_RETURN_IF_ERROR(RefusePostgres(c, "backup"));
  BackupPlan plan{
      .state_dir = c.state_dir, .database = c.database(), .target = dir, .only_store = only_store};
  std::unique_ptr<incus::IncusArchiver> archiver;
  if (!only_store) {
    RP_RETURN_IF_ERROR(ctx.incus().status());  // the engine and the project answer (or the fix)
    RP_ASSIGN_OR_RETURN(auto engine, ctx.engine());
    RP_ASSIGN_OR_RETURN(plan.engine, EngineVersion(*engine));
    RP_ASSIGN_OR_RETURN(archiver, Archiver(ctx));
  }
  std::printf("backing up %s to %s\n", c.state_dir.c_str(), dir.c_str());
  RP_ASSIGN_OR_RETURN(BackupManifest manifest, WriteBackup(plan, archiver.get(), Say));
  std::printf("backup done: %zu workspace(s), %zu file(s), manifest %s/%s\n",
              manifest.workspaces.size(), manifest.files.size(), dir.c_str(), kManifestFile);
  return Status::Ok();
}

Status Restore(Context& ctx, const std::string& dir) {
  ::umask(077);
  const Config& c = ctx.config();
  RP_RETURN_IF_ERROR(RefusePostgres(c, "restore"));
  CurlHttpClient local(HttpEndpoint::Unix(c.local_socket()));
  if (local.Send({.target = "/api/health", .timeout = std::chrono::seconds(2)}).ok()) {
    return Status::Conflict("restore: the control plane answers on " + c.local_socket() +
                            "; stop it first with: rockpool down");
  }
  RP_ASSIGN_OR_RETURN(auto archiver, Archiver(ctx));
  std::printf("restoring %s into %s\n", dir.c_str(), c.state_dir.c_str());
  // The instances go back into the deployment's project, made here when it is new.
  RP_RETURN_IF_ERROR(RestoreBackup({.source = dir,
                                    .state_dir = c.state_dir,
                                    .database = c.database(),
                                    .prepare_engine = [&ctx] { return EnsureProject(ctx); }},
                                   *archiver, Say));
  std::printf("restore done; start Rockpool with: rockpool up\n");
  return Status::Ok();
}

}  // namespace

void AddBackup(CLI::App& sub, Context& ctx) {
  auto dir = std::make_shared<std::string>();
  auto only_store = std::make_shared<bool>(false);
  sub.add_option("dir", *dir, "A new or empty folder to write the backup to")->required();
  sub.add_flag("--only-store", *only_store,
               "Only the store and the settings, not the workspaces' files");
  sub.callback([&ctx, dir, only_store] { ExitOnError(Backup(ctx, *dir, *only_store)); });
}

void AddRestore(CLI::App& sub, Context& ctx) {
  auto dir = std::make_shared<std::string>();
  sub.add_option("dir", *dir, "A folder written by rockpool backup")->required();
  sub.callback([&ctx, dir] { ExitOnError(Restore(ctx, *dir)); });
}

}  // namespace rockpool
