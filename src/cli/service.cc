#include "cli/service.h"

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/install_paths.h"
#include "cli/service_units.h"
#include "cli/steps.h"
#include "client/api_client.h"
#include "http/curl_client.h"
#include "proxy/caddy/caddy_daemon.h"
#include "sys/process_lock.h"

namespace rockpool {
namespace {

using Clock = std::chrono::steady_clock;

// How long `down` lets the control plane finish before it reports it still running.
std::chrono::milliseconds ServeStopTimeout() {
  if (const char* v = std::getenv("ROCKPOOL_STOP_TIMEOUT_MS"); v != nullptr && *v != '\0') {
    return std::chrono::milliseconds(std::atol(v));
  }
  return std::chrono::seconds(60);
}

// The text appended to `path` after its first `from` bytes (at most 4000 bytes of it).
std::string LogSince(const std::string& path, std::uintmax_t from) {
  std::ifstream in(path);
  in.seekg(static_cast<std::streamoff>(from));
  std::string text(std::istreambuf_iterator<char>(in), {});
  return text.size() > 4000 ? text.substr(0, 4000) : text;
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

// Stops a process this executable started before it was rebuilt, so the new one takes over.
Status ReplaceIfRebuilt(int pid, const std::string& what) {
  if (pid == 0 || RunsExecutable(pid, ExecutablePath())) return Status::Ok();
  Say(what + ": restarting it on the rebuilt rockpool binary");
  return TerminateAndWait(pid, what, ServeStopTimeout());
}

// Every serve process that runs, also ones beyond serve_processes (it was lowered since).
std::vector<int> FindServes(const Config& c) {
  std::vector<int> out;
  for (int process = 1; process <= kMaxServeProcesses; ++process) {
    if (int pid = FindServe(c, process); pid != 0) out.push_back(pid);
  }
  return out;
}

bool AllServesAnswer(const Config& c) {
  for (int process = 1; process <= c.serve_processes; ++process) {
    if (!ControlPlaneAnswers(c, process)) return false;
  }
  return true;
}

// Stops every serve process, all at once, and waits for each.
Status StopServes(const Config& c, std::chrono::milliseconds timeout) {
  const std::vector<int> serves = FindServes(c);
  for (int pid : serves) kill(pid, SIGTERM);
  Status out;
  for (int pid : serves) {
    Status st = TerminateAndWait(pid, "the control plane", timeout);
    if (out.ok()) out = st;
  }
  return out;
}

Result<int> StartSupervisor(Context& ctx) {
  const Config& c = ctx.config();
  RP_ASSIGN_OR_RETURN(int pid, ctx.runner().SpawnDaemon({.argv = {ExecutablePath(), "supervise"}},
                                                        SupervisorLogFile(c)));
  if (!WaitUntil([&] { return FindSupervisor(c) == pid || !ProcessRunning(pid); },
                 std::chrono::seconds(10)) ||
      FindSupervisor(c) != pid) {
    return Status::Unavailable("the supervisor (pid " + std::to_string(pid) + ") did not start; " +
                               SupervisorLogFile(c) + " ends with:\n" +
                               LogTail(SupervisorLogFile(c)));
  }
  return pid;
}

Status EnsureSupervisor(Context& ctx) {
  const Config& c = ctx.config();
  // What the supervisor logs from now on: a failed start ends the wait with its reason.
  std::error_code ec;
  const auto log_from = std::filesystem::file_size(SupervisorLogFile(c), ec);
  auto new_log = [&] { return LogSince(SupervisorLogFile(c), ec ? 0 : log_from); };
  int supervisor = FindSupervisor(c);
  RP_RETURN_IF_ERROR(ReplaceIfRebuilt(supervisor, "supervisor"));
  for (int pid : FindServes(c)) RP_RETURN_IF_ERROR(ReplaceIfRebuilt(pid, "control plane"));
  // Serve processes beyond serve_processes (it was lowered) stop; the supervisor starts the rest.
  for (int process = c.serve_processes + 1; process <= kMaxServeProcesses; ++process) {
    RP_RETURN_IF_ERROR(
        TerminateAndWait(FindServe(c, process), "the control plane", ServeStopTimeout()));
  }
  // A supervisor keeping fewer serve processes than are asked for now started before the
  // setting was raised; a new one starts them (the ones that run stay).
  if (supervisor != 0 && static_cast<int>(FindServes(c).size()) < c.serve_processes) {
    RP_RETURN_IF_ERROR(TerminateAndWait(supervisor, "the supervisor", std::chrono::seconds(10)));
  }
  if (supervisor != 0 && FindSupervisor(c) == 0) supervisor = 0;
  if (supervisor == 0) {
    RP_ASSIGN_OR_RETURN(supervisor, StartSupervisor(ctx));
  }
  // It starts Caddy, then the control plane; both must answer and it must still run.
  const bool up = WaitUntil(
      [&] {
        return FindSupervisor(c) != supervisor ||
               new_log().find("] supervise: starting ") != std::string::npos ||
               (ctx.proxy().Ping().ok() && AllServesAnswer(c));
      },
      std::chrono::seconds(60));
  if (FindSupervisor(c) != supervisor) {
    return Status::Unavailable("the supervisor (pid " + std::to_string(supervisor) + ") exited; " +
                               SupervisorLogFile(c) + " ends with:\n" +
                               LogTail(SupervisorLogFile(c)));
  }
  if (const std::string log = new_log(); log.find("] supervise: starting ") != std::string::npos) {
    return Status::Unavailable("the supervisor (pid " + std::to_string(supervisor) +
                               ") keeps trying, with longer waits, but the first start failed; " +
                               SupervisorLogFile(c) + ":\n" + log);
  }
  if (!up) {
    return Status::Unavailable(
        "the supervisor (pid " + std::to_string(supervisor) + ") runs, but " +
        (ctx.proxy().Ping().ok() ? "the control plane" : "caddy") +
        " did not answer within 60 s; see " + SupervisorLogFile(c) + " and " + ServeLogFile(c));
  }
  Say("service: supervised by pid " + std::to_string(supervisor) +
      "; PID 1 is not systemd, so nothing restarts after a reboot (run `rockpool up` then)");
  return Status::Ok();
}

}  // namespace

std::string ServeLockFile(const Config& c, int process) {
  return c.state_dir + "/serve" + Config::ServeProcessSuffix(process) + ".lock";
}
std::string SupervisorLockFile(const Config& c) { return c.state_dir + "/supervise.lock"; }
std::string ServeLogFile(const Config& c, int process) {
  return c.log_dir + "/serve" + Config::ServeProcessSuffix(process) + ".log";
}
std::string ServePidFile(const Config& c, int process) {
  return c.state_dir + "/serve" + Config::ServeProcessSuffix(process) + ".pid";
}
std::string SupervisorLogFile(const Config& c) { return c.log_dir + "/supervise.log"; }

std::string RunningParts::Describe() const {
  std::string out;
  auto add = [&](const char* what, int pid) {
    if (pid == 0) return;
    if (!out.empty()) out += ", ";
    out += std::string(what) + " (pid " + std::to_string(pid) + ")";
  };
  add("the supervisor", supervisor);
  for (int pid : serves) add("the control plane", pid);
  add("caddy", caddy);
  return out;
}

int FindServe(const Config& c, int process) {
  if (int pid = LockHolder(ServeLockFile(c, process)); pid != 0) return pid;
  // A control plane from before the lock, or one whose lock file was removed.
  if (int pid = UnixSocketServerPid(c.local_socket(process)); pid != 0) return pid;
  return UnixSocketServerPid(c.control_socket(process));
}

int FindSupervisor(const Config& c) { return LockHolder(SupervisorLockFile(c)); }

RunningParts FindRunning(Context& ctx) {
  return {.supervisor = FindSupervisor(ctx.config()),
          .serves = FindServes(ctx.config()),
          .caddy = ctx.caddy().RunningPid()};
}

bool ControlPlaneAnswers(const Config& c, int process) {
  CurlHttpClient http(HttpEndpoint::Unix(c.local_socket(process)));
  auto r = http.Send({.target = "/api/health", .timeout = std::chrono::seconds(2)});
  return r.ok() && r->status == 200;
}

std::string LogTail(const std::string& path, size_t max_bytes) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  return text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
}

Result<int> StartServe(Context& ctx, int process) {
  const Config& c = ctx.config();
  std::filesystem::create_directories(c.log_dir);
  const std::string log = ServeLogFile(c, process);
  RP_ASSIGN_OR_RETURN(
      int pid,
      ctx.runner().SpawnDaemon(
          {.argv = {ExecutablePath(), "serve", "--process", std::to_string(process)}}, log));
  const bool answered = WaitUntil(
      [&] {
        return !ProcessRunning(pid) ||
               (FindServe(c, process) == pid && ControlPlaneAnswers(c, process));
      },
      std::chrono::seconds(30));
  if (!ProcessRunning(pid)) {
    return Status::Unavailable("the control plane (pid " + std::to_string(pid) + ") exited; " +
                               log + " ends with:\n" + LogTail(log));
  }
  if (!answered) {
    return Status::Unavailable("the control plane (pid " + std::to_string(pid) +
                               ") did not answer on " + c.local_socket(process) +
                               " within 30 s; see " + log);
  }
  return pid;
}

Status EnsureService(Context& ctx) {
  const Config& c = ctx.config();
  RP_RETURN_IF_ERROR(ServeProcessesFromEnvironment(c.postgres_store()).status());
  if (SystemdIsInit()) {
    if (c.serve_processes > 1) {
      return Status::InvalidArgument(
          "ROCKPOOL_SERVE_PROCESSES is " + std::to_string(c.serve_processes) +
          ", but Rockpool's systemd units run one serve process; set ROCKPOOL_SERVE_PROCESSES=1 "
          "(several processes run where Rockpool's supervisor keeps them, without systemd)");
    }
    return EnsureUnits(ctx);
  }
  return EnsureSupervisor(ctx);
}

Status StopWorkspaces(Context& ctx) {
  CurlHttpClient http(HttpEndpoint::Unix(ctx.config().local_socket()));
  client::ApiClient api(http);
  if (api.Health().ok()) {
    RP_ASSIGN_OR_RETURN(auto all, api.ListAll());
    for (const auto& ws : all) {
      if (ws.status != WorkspaceStatus::kRunning) continue;
      std::printf("stopping workspace %s\n", ws.name.c_str());
      RP_RETURN_IF_ERROR(api.Stop(ws.id).status());
    }
    // The control plane finishes the stop jobs before it exits.
    for (const auto& ws : all) {
      for (int i = 0; i < 1200; ++i) {
        auto now = api.Get(ws.id);
        if (!now.ok() || now->status != WorkspaceStatus::kStopping) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }
  return Status::Ok();
}

Status StopControlPlane(Context& ctx) {
  const Config& c = ctx.config();
  RP_RETURN_IF_ERROR(
      TerminateAndWait(FindSupervisor(c), "the supervisor", std::chrono::seconds(10)));
  if (SystemdIsInit()) RP_RETURN_IF_ERROR(StopUnits(ctx, /*caddy_too=*/false));
  return StopServes(c, ServeStopTimeout());
}

Status StopService(Context& ctx) {
  const Config& c = ctx.config();
  // The supervisor first, so it restarts nothing that is stopped after it.
  RP_RETURN_IF_ERROR(
      TerminateAndWait(FindSupervisor(c), "the supervisor", std::chrono::seconds(10)));
  if (SystemdIsInit()) RP_RETURN_IF_ERROR(StopUnits(ctx, /*caddy_too=*/true));
  Status serve = StopServes(c, ServeStopTimeout());
  Status caddy = ctx.caddy().Stop();
  const RunningParts left = FindRunning(ctx);
  if (left.any()) {
    std::string why = serve.ok() ? caddy.message() : serve.message();
    return Status::Unavailable("still running: " + left.Describe() +
                               (why.empty() ? "" : " (" + why + ")") +
                               "; stop them (kill <pid>) and run `rockpool down` again");
  }
  RP_RETURN_IF_ERROR(serve);
  return caddy;
}

}  // namespace rockpool
