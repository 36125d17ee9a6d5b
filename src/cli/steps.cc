#include "cli/steps.h"

#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli/auth.h"
#include "client/api_client.h"
#include "http/curl_client.h"
#include "images/builder.h"
#include "proxy/caddy/caddy_daemon.h"
#include "runtime/incus/incus_runtime.h"
#include "sys/ports.h"
#include "sys/private_dir.h"

namespace rockpool {
namespace {

using Clock = std::chrono::steady_clock;

void Say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

std::string ServePidFile(const Config& c) { return c.state_dir + "/serve.pid"; }

// The pid written in `file`, else 0.
int ReadPid(const std::string& file) {
  std::ifstream in(file);
  int pid = 0;
  return (in >> pid) && pid > 0 ? pid : 0;
}

// The pid in `file` when that process is still a rockpool, else 0.
int LivePid(const std::string& file) {
  const int pid = ReadPid(file);
  if (pid == 0) return 0;
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(comm, name);
  return name == "rockpool" ? pid : 0;
}

bool ApiAnswers(const Config& c) {
  CurlHttpClient http(HttpEndpoint::Unix(c.local_socket()));
  auto r = http.Send({.target = "/api/health", .timeout = std::chrono::seconds(2)});
  return r.ok() && r->status == 200;
}

Status WaitFor(const std::function<bool()>& done, std::chrono::seconds timeout,
               const std::string& what) {
  auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) return Status::DeadlineExceeded(what);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Status::Ok();
}

}  // namespace

Status EnsurePrivateState(Context& ctx) {
  const Config& c = ctx.config();
  for (const std::string& dir : {c.state_dir, c.log_dir, c.caddy_dir()}) {
    RP_RETURN_IF_ERROR(MakePrivateDir(dir).WithContext("keep Rockpool's files private"));
  }
  return Status::Ok();
}

Status EnsureEngine(Context& ctx) {
  RP_RETURN_IF_ERROR(EnsureProject(ctx, [&ctx] {
    Say("control plane: stopping it while this deployment's instances move into LXD project " +
        ctx.config().project);
    return StopServe(ctx);
  }));
  return ctx.runtime().status();
}

Status EnsureImage(Context& ctx, bool force) {
  RP_ASSIGN_OR_RETURN(ImageStore * store, ctx.images());
  ImageBuildOptions options;
  options.recipe_dir = ctx.config().recipe_dir;
  options.work_dir = ctx.config().state_dir + "/image-build";
  options.alias = ctx.config().image;
  options.force = force;
  RP_RETURN_IF_ERROR(BuildImage(options, ctx.runner(), *store, Say));
  RP_ASSIGN_OR_RETURN(IncusRuntime * incus, ctx.incus());
  RP_RETURN_IF_ERROR(incus->PrepareTemplate(ctx.config().image).status());
  // Templates of images this alias pointed at before a rebuild are no longer copied from.
  return incus->PruneTemplates(ctx.config().image);
}

Status EnsureProxy(Context& ctx) {
  if (!ctx.proxy().Ping().ok()) {
    // Caddy is not ours yet: its ports must be free before it can take them, or held by the
    // Caddy of our pid file, which EnsureRunning replaces.
    const int ours = ReadPid(ctx.caddy().PidFile());
    for (int port : {ctx.config().control_port, ctx.config().workspace_port}) {
      if (auto owner = FindListener(port); owner && (ours == 0 || owner->pid != ours)) {
        return Status::Unavailable(DescribeListener(port, *owner) +
                                   ": stop that program, or choose other ports with "
                                   "ROCKPOOL_CONTROL_PORT / ROCKPOOL_WORKSPACE_PORT");
      }
    }
    RP_RETURN_IF_ERROR(ctx.caddy().EnsureRunning());
  }
  auto config = ctx.proxy_config();
  std::error_code ec;
  std::filesystem::create_directories(config.socket_dir, ec);
  RP_ASSIGN_OR_RETURN(bool current, ctx.proxy().IsBootstrapped(config));
  if (!current) RP_RETURN_IF_ERROR(ctx.proxy().Bootstrap(config));
  Say("proxy: caddy serves :" + std::to_string(config.workspace_port) +
      " (workspaces) and :" + std::to_string(config.control_port) + " (API, dashboard)");
  return Status::Ok();
}

Status EnsureCredentials(Context& ctx) {
  RP_ASSIGN_OR_RETURN(AuthChange auth, EnsureAuth(ctx.config().state_dir));
  if (auth.new_password) {
    Say("credentials: user \"" + auth.auth.username + "\", password \"" + *auth.new_password +
        "\" (shown once; only its hash is stored in " + ctx.config().state_dir +
        "/auth.json; set ROCKPOOL_USERNAME and ROCKPOOL_PASSWORD before `rockpool up` to "
        "choose your own)");
  } else {
    Say("credentials: user \"" + auth.auth.username + "\"" + (auth.changed ? " (updated)" : ""));
  }
  return Status::Ok();  // a running control plane reads the file again when it changes
}

Status EnsureServe(Context& ctx) {
  const Config& c = ctx.config();
  constexpr std::string_view kGone = " (deleted)";  // how /proc shows a replaced executable
  if (ApiAnswers(c)) {
    const int pid = LivePid(ServePidFile(c));
    std::error_code ec;
    const std::string running =
        std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec).string();
    if (pid == 0 || ec || !running.ends_with(kGone)) return Status::Ok();
    Say("control plane: restarting it on the rebuilt rockpool binary");
    RP_RETURN_IF_ERROR(StopServe(ctx));
  } else if (LivePid(ServePidFile(c)) != 0) {
    // Ours, but not answering where this version listens (an earlier version, or hung).
    Say("control plane: replacing the one that does not answer on " + c.local_socket());
    RP_RETURN_IF_ERROR(StopServe(ctx));
  }
  // A rebuild may have replaced this executable since it started: run the one on disk now.
  std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
  if (exe.ends_with(kGone)) exe.resize(exe.size() - kGone.size());
  std::filesystem::create_directories(c.log_dir);
  const std::string log = c.log_dir + "/serve.log";
  RP_ASSIGN_OR_RETURN(int pid, ctx.runner().SpawnDaemon({.argv = {exe, "serve"}}, log));
  std::ofstream(ServePidFile(c)) << pid << "\n";
  (void)WaitFor([&] { return ApiAnswers(c) || LivePid(ServePidFile(c)) == 0; },
                std::chrono::seconds(30), "");
  if (!ApiAnswers(c)) {
    return Status::Unavailable("the control plane did not start (see " + log +
                               "); run `rockpool serve` in a terminal to see why");
  }
  Say("control plane: " + c.control_socket() + " (log " + log + ")");
  return Status::Ok();
}

Status StopServe(Context& ctx) {
  const std::string file = ServePidFile(ctx.config());
  int pid = LivePid(file);
  if (pid == 0) return Status::Ok();
  kill(pid, SIGTERM);
  RP_RETURN_IF_ERROR(
      WaitFor([&] { return LivePid(file) == 0; }, std::chrono::seconds(60),
              "the control plane (pid " + std::to_string(pid) + ") did not stop within 60 s"));
  std::filesystem::remove(file);
  return Status::Ok();
}

Status EnsureWorkspace(Context& ctx, const std::string& name) {
  CurlHttpClient http(HttpEndpoint::Unix(ctx.config().local_socket()));
  client::ApiClient api(http);
  auto ws = api.Get(name);
  if (!ws.ok() && ws.status().code() != Code::kNotFound) return ws.status();
  if (!ws.ok()) {
    Say("workspace " + name + ": creating");
    RP_ASSIGN_OR_RETURN(ws, api.Create(name, ctx.config().image));
  } else if (ws->status == WorkspaceStatus::kStopped) {
    Say("workspace " + name + ": starting");
    RP_ASSIGN_OR_RETURN(ws, api.Start(name));
  } else if (ws->status == WorkspaceStatus::kError) {
    // E.g. its instance stopped with the host: `up` brings the system back, this included.
    Say("workspace " + name + ": starting again (" + ws->status_reason.value_or("error") + ")");
    RP_ASSIGN_OR_RETURN(ws, api.Start(name));
  }
  Status last;
  Status waited = WaitFor(
      [&] {
        auto now = api.Get(name);
        if (!now.ok()) {
          last = now.status();
          return true;
        }
        ws = now;
        return ws->status == WorkspaceStatus::kRunning || ws->status == WorkspaceStatus::kError ||
               ws->status == WorkspaceStatus::kStopped;
      },
      std::chrono::seconds(300), "workspace " + name + " did not become running within 300 s");
  RP_RETURN_IF_ERROR(waited);
  RP_RETURN_IF_ERROR(last);
  if (ws->status != WorkspaceStatus::kRunning) {
    return Status::Unavailable("workspace " + name + " is " + std::string(StatusName(ws->status)) +
                               ": " + ws->status_reason.value_or("no reason recorded") +
                               " (rockpool ws start " + name + " retries)");
  }
  return Status::Ok();
}

}  // namespace rockpool
