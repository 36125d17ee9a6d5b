// rockpool paths: where this rockpool finds its files and keeps its state, and whether each is
// there; what an installed copy uses, to check an install. Also the LXD project and the ports
// the deployment's settings give it, its credentials file and its root-only sockets
// (scripts/test.sh reads them to watch the deployment).
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/install_paths.h"
#include "cli/service.h"

namespace rockpool {
namespace {

void Line(const char* what, const std::string& path, const char* must_hold) {
  std::error_code ec;
  const bool found = std::filesystem::exists(std::string(path) + "/" + must_hold, ec);
  std::printf("%-10s %s (%s)\n", what, path.c_str(), found ? "found" : "missing");
}

}  // namespace

void AddPaths(CLI::App& sub, Context& ctx) {
  sub.callback([&ctx] {
    const Config& c = ctx.config();
    std::printf("%-10s %s\n", "binary", ExecutablePath().c_str());
    std::printf("%-10s %s\n", "data", DataDir().c_str());
    Line("dashboard", DashboardDir(), "index.html");
    Line("recipe", c.recipe_dir, "build.sh");
    std::printf("%-10s %s\n", "state", c.state_dir.c_str());
    std::printf("%-10s %s\n", "logs", c.log_dir.c_str());
    std::printf("%-10s %s\n", "project", c.project.c_str());
    std::printf("%-10s %d\n", "api-port", c.control_port);
    std::printf("%-10s %d\n", "ws-port", c.workspace_port);
    std::printf("%-10s %s\n", "auth", c.auth_file().c_str());
    std::printf("%-10s %s\n", "sockets", c.socket_dir().c_str());
    std::printf("%-10s %s\n", "local-api", c.local_socket().c_str());
  });
}

}  // namespace rockpool
