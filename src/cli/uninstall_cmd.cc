// rockpool uninstall: stops everything (workspaces too) and removes what `up` installed (systemd
// units, the supervisor's and control plane's locks, pid files and sockets). The state folder, the
// logs and the workspaces stay, unless --purge: then the deployment's LXD project with every
// instance in it, and both folders, go.
#include <cstdio>
#include <filesystem>
#include <vector>

#include "cli/commands.h"
#include "cli/service.h"
#include "cli/service_units.h"
#include "proxy/caddy/caddy_daemon.h"
#include "runtime/incus/projects.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;

Status RemovePath(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return Status::Internal("remove " + path + ": " + ec.message());
  return Status::Ok();
}

// Every instance of the deployment's project (workspaces, templates, spares) and the project.
Status RemoveProject(Context& ctx) {
  const Config& c = ctx.config();
  RP_ASSIGN_OR_RETURN(auto engine, ctx.engine());
  std::printf("removing LXD project %s and its instances\n", c.project.c_str());
  return incus::DeleteProject(*engine, c.project, c.state_dir, std::chrono::seconds(300))
      .WithContext("remove the deployment's LXD project");
}

Status Uninstall(Context& ctx, bool purge) {
  const Config& c = ctx.config();
  // Purging needs the engine to remove the workspaces: without it nothing is touched.
  if (purge) RP_RETURN_IF_ERROR(ctx.runtime().status().WithContext("purge workspaces"));
  RP_RETURN_IF_ERROR(StopWorkspaces(ctx));
  RP_RETURN_IF_ERROR(StopService(ctx));
  if (SystemdIsInit()) RP_RETURN_IF_ERROR(RemoveUnits(ctx));
  std::vector<std::string> paths = {SupervisorLockFile(c), ctx.caddy().PidFile(),
                                    ctx.caddy().AdminSocket(), c.socket_dir()};
  for (int process = 1; process <= kMaxServeProcesses; ++process) {
    paths.insert(paths.end(), {ServeLockFile(c, process), ServePidFile(c, process),
                               c.local_socket(process), c.control_socket(process)});
  }
  for (const std::string& path : paths) RP_RETURN_IF_ERROR(RemovePath(path));
  if (!purge) {
    std::printf(
        "Rockpool is uninstalled; its data stays in %s and %s, and its workspaces stay "
        "(`rockpool uninstall --purge` removes them)\n",
        c.state_dir.c_str(), c.log_dir.c_str());
    return Status::Ok();
  }
  RP_RETURN_IF_ERROR(RemoveProject(ctx));
  RP_RETURN_IF_ERROR(RemovePath(c.state_dir));
  RP_RETURN_IF_ERROR(RemovePath(c.log_dir));
  std::printf("Rockpool is uninstalled; its workspaces, %s and %s are removed\n",
              c.state_dir.c_str(), c.log_dir.c_str());
  return Status::Ok();
}

}  // namespace

void AddUninstall(CLI::App& sub, Context& ctx) {
  auto purge = std::make_shared<bool>(false);
  sub.add_flag("--purge", *purge,
               "Also remove every workspace, the state folder (database, credentials) and logs");
  sub.callback([&ctx, purge] { ExitOnError(Uninstall(ctx, *purge)); });
}

}  // namespace rockpool
