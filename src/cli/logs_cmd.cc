// rockpool logs [--follow] [serve|caddy|supervise]: the control plane's and Caddy's logs (by
// default both); from the journal when systemd runs them, else from their files.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "cli/commands.h"
#include "cli/service.h"
#include "cli/service_units.h"
#include "proxy/caddy/caddy_daemon.h"

namespace rockpool {
namespace {

struct LogsFlags {
  bool follow = false;
  int lines = 200;
  std::string which;  // empty: serve and caddy
};

[[noreturn]] void Exec(std::vector<std::string> argv) {
  std::vector<char*> c_argv;
  for (auto& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  execvp(c_argv[0], c_argv.data());
  ExitOnError(Status::Unavailable("run " + CommandLine(argv) + ": " + std::strerror(errno)));
  std::exit(1);
}

Status Logs(Context& ctx, const LogsFlags& flags) {
  const Config& c = ctx.config();
  const bool serve = flags.which.empty() || flags.which == "serve";
  const bool caddy = flags.which.empty() || flags.which == "caddy";
  const bool supervise = flags.which == "supervise";
  const UnitSettings units = UnitSettingsFor(ctx);
  if (SystemdIsInit() && std::filesystem::exists("/etc/systemd/system/" + units.serve_unit)) {
    std::vector<std::string> argv = {"journalctl", "--no-pager", "-n", std::to_string(flags.lines)};
    if (serve) argv.insert(argv.end(), {"-u", units.serve_unit});
    if (caddy) argv.insert(argv.end(), {"-u", units.caddy_unit});
    if (supervise)
      return Status::InvalidArgument("systemd runs Rockpool here: there is no supervisor log");
    if (flags.follow) argv.push_back("--follow");
    Exec(argv);
  }
  std::vector<std::string> argv = {"tail", "-n", std::to_string(flags.lines)};
  if (flags.follow) argv.push_back("-F");  // follows the file across rotations
  std::vector<std::string> files;
  for (int process = 1; serve && process <= c.serve_processes; ++process) {
    files.push_back(ServeLogFile(c, process));
  }
  if (caddy) files.push_back(ctx.caddy().LogFile());
  if (supervise) files.push_back(SupervisorLogFile(c));
  if (!flags.follow) {
    std::erase_if(files, [](const std::string& f) { return !std::filesystem::exists(f); });
    if (files.empty()) {
      return Status::NotFound("no logs yet in " + c.log_dir + " or " + c.caddy_dir() +
                              " (`rockpool up` starts Rockpool)");
    }
  }
  argv.insert(argv.end(), files.begin(), files.end());
  Exec(argv);
}

}  // namespace

void AddLogs(CLI::App& sub, Context& ctx) {
  auto flags = std::make_shared<LogsFlags>();
  sub.add_flag("-f,--follow", flags->follow, "Keep printing new lines as they come");
  sub.add_option("-n,--lines", flags->lines, "How many of the last lines to show (default 200)")
      ->check(CLI::PositiveNumber);
  sub.add_option("which", flags->which, "serve, caddy or supervise (default: serve and caddy)")
      ->check(CLI::IsMember({"serve", "caddy", "supervise"}));
  sub.callback([&ctx, flags] { ExitOnError(Logs(ctx, *flags)); });
}

}  // namespace rockpool
