// rockpool supervise (hidden; `rockpool up` starts it where PID 1 is not systemd): keeps Caddy
// and the control plane running, restarting whichever stops, with backoff, and caps the logs.
// On SIGTERM it exits at once and leaves them running; `rockpool down` stops it first, then them.
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <vector>

#include "cli/commands.h"
#include "cli/service.h"
#include "cli/steps.h"
#include "cli/supervisor.h"
#include "proxy/caddy/caddy_daemon.h"
#include "sys/log_rotation.h"
#include "sys/process_lock.h"

namespace rockpool {
namespace {

// SIGTERM ends the supervisor at once, also in the middle of a start, so that `down` can
// stop what it started right after; the kernel releases its lock.
void ExitOnSignal(int) {
  constexpr char kMessage[] = "supervise: stopping; caddy and the control plane keep running\n";
  (void)!write(STDOUT_FILENO, kMessage, sizeof kMessage - 1);
  _exit(0);
}

// Caddy answering with Rockpool's routes; its pid.
Result<int> StartCaddy(Context& ctx) {
  RP_RETURN_IF_ERROR(ctx.caddy().EnsureRunning());
  RP_RETURN_IF_ERROR(LoadRoutes(ctx));
  const int pid = ctx.caddy().RunningPid();
  if (pid == 0) return Status::Unavailable("caddy answers, but its process was not found");
  return pid;
}

void RotateLogs(Context& ctx) {
  static auto last = std::chrono::steady_clock::time_point{};
  const auto now = std::chrono::steady_clock::now();
  if (now - last < std::chrono::seconds(5)) return;
  last = now;
  const Config& c = ctx.config();
  std::vector<std::string> logs = {SupervisorLogFile(c), ctx.caddy().LogFile()};
  for (int process = 1; process <= c.serve_processes; ++process) {
    logs.push_back(ServeLogFile(c, process));
  }
  for (const std::string& log : logs) {
    auto rotated = RotateIfLarge(log, LogRotation{});
    if (!rotated.ok()) spdlog::warn("supervise: {}", rotated.status().message());
    if (rotated.ok() && *rotated) spdlog::info("supervise: rotated {}", log);
  }
}

Status Supervise(Context& ctx) {
  umask(077);
  RP_RETURN_IF_ERROR(EnsurePrivateState(ctx));
  const Config& c = ctx.config();
  auto lock = ProcessLock::Acquire(SupervisorLockFile(c));
  if (!lock.ok()) return lock.status().WithContext("Rockpool is already supervised");
  std::signal(SIGTERM, ExitOnSignal);
  std::signal(SIGINT, ExitOnSignal);
  std::signal(SIGHUP, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::info("supervise: keeping caddy and the control plane of {} running ({} serve {})",
               c.state_dir, c.serve_processes, c.serve_processes == 1 ? "process" : "processes");
  std::vector<SupervisedChild> children = {{.name = "caddy",
                                            .start = [&] { return StartCaddy(ctx); },
                                            .find = [&] { return ctx.caddy().RunningPid(); }}};
  for (int process = 1; process <= c.serve_processes; ++process) {
    children.push_back({.name = process == 1 ? std::string("control plane")
                                             : "control plane " + std::to_string(process),
                        .start = [&ctx, process] { return StartServe(ctx, process); },
                        .find = [&c, process] { return FindServe(c, process); }});
  }
  Supervisor supervisor(std::move(children), {.on_tick = [&] { RotateLogs(ctx); }});
  supervisor.Run([] { return false; });  // until a signal ends the process
  return Status::Ok();
}

}  // namespace

void AddSupervise(CLI::App& sub, Context& ctx) {
  sub.group("");  // hidden: `rockpool up` starts it
  auto prepare = std::make_shared<bool>(false);
  sub.add_flag("--prepare-caddy", *prepare,
               "Only write Caddy's folders and initial config (systemd's ExecStartPre)");
  sub.callback([&ctx, prepare] { ExitOnError(*prepare ? ctx.caddy().Prepare() : Supervise(ctx)); });
}

}  // namespace rockpool
