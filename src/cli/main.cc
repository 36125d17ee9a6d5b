// rockpool: one executable, subcommands from a table; the logic lives in the libraries.
#include <cstdio>

#include "cli/commands.h"
#include "client/token_commands.h"
#include "client/user_commands.h"
#include "client/ws_commands.h"

namespace rockpool {
namespace {

constexpr Command kCommands[] = {
    {"up", "Bring Rockpool up and print the URL of a workspace (default \"test\")", AddUp},
    {"down", "Stop every workspace, the control plane and the proxy (data is kept)", AddDown},
    {"serve", "Run the control plane: REST API, worker and reconciler", AddServe},
    {"worker", "Run only a worker, as a separate process on the same store", AddWorker},
    {"verify", "Check that a workspace's IDE answers through the proxy", AddVerify},
    {"doctor", "Say what is missing (daemon, bridge, pool, image, proxy, ports) and the fix",
     AddDoctor},
    {"image", "Build the workspace image, or list the images and their workspaces", AddImage},
    {"logs", "Show the control plane's and Caddy's logs (--follow to keep watching)", AddLogs},
    {"paths", "Show where this rockpool finds its files and keeps its state", AddPaths},
    {"uninstall", "Stop Rockpool and remove what `up` installed (--purge: data too)", AddUninstall},
    {"supervise", "Keep Caddy and the control plane running (started by `up`)", AddSupervise},
    {"backup", "Back up the store, settings and workspaces to a folder", AddBackup},
    {"restore", "Restore a backup into a deployment without workspaces", AddRestore},
};

}  // namespace

void ExitOnError(const Status& status) {
  if (status.ok()) return;
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  std::fflush(stderr);
  std::exit(1);
}

}  // namespace rockpool

int main(int argc, char** argv) {
  using namespace rockpool;
  Context ctx(Config::FromEnvironment());
  CLI::App app{"Rockpool: cloud development workspaces on your own Linux server", "rockpool"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  for (const Command& c : kCommands) c.add(*app.add_subcommand(c.name, c.description), ctx);
  client::AddWorkspaceCommands(app);  // ws ls|create|show|start|stop|rm|open, ws port ...
  app.get_subcommand("ws")->alias("workspace");
  client::AddTokenCommands(app);  // login, logout, token ls|create|revoke
  client::AddUserCommands(app);   // whoami, user ls|add|disable|enable|role|passwd|rm
  CLI11_PARSE(app, argc, argv);
  return 0;
}
