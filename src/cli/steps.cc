#include "cli/steps.h"

#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli/auth.h"
#include "cli/service.h"
#include "client/api_client.h"
#include "http/curl_client.h"
#include "images/builder.h"
#include "proxy/caddy/caddy_daemon.h"
#include "runtime/incus/incus_runtime.h"
#include "sys/ports.h"
#include "sys/private_dir.h"

namespace rockpool {

void Say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

Status LoadRoutes(Context& ctx) {
  auto config = ctx.proxy_config();
  std::error_code ec;
  std::filesystem::create_directories(config.socket_dir, ec);
  RP_ASSIGN_OR_RETURN(bool current, ctx.proxy().IsBootstrapped(config));
  if (!current) RP_RETURN_IF_ERROR(ctx.proxy().Bootstrap(config));
  return Status::Ok();
}

namespace {

using Clock = std::chrono::steady_clock;

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
  RP_RETURN_IF_ERROR(ctx.config().CheckRuntime());
  if (ctx.config().tart_runtime()) return ctx.runtime().status();  // no LXD project for Tart
  RP_RETURN_IF_ERROR(EnsureProject(ctx, [&ctx] {
    Say("control plane: stopping it while this deployment's instances move into LXD project " +
        ctx.config().project);
    return StopControlPlane(ctx);
  }));
  return ctx.runtime().status();
}

Status EnsureImage(Context& ctx, bool force) {
  if (ctx.config().tart_runtime()) {
    // Tart's image is a VM Packer builds (images/macos); it is checked, not built, here.
    RP_ASSIGN_OR_RETURN(Runtime * runtime, ctx.runtime());
    return runtime->CheckImage(ctx.config().image);
  }
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

Status CheckProxyPorts(Context& ctx) {
  if (ctx.proxy().Ping().ok()) return Status::Ok();
  // Caddy is not ours yet: its ports must be free before it can take them, or held by our
  // Caddy (not answering), which EnsureRunning replaces.
  const int ours = ctx.caddy().RunningPid();
  for (int port : {ctx.config().control_port, ctx.config().workspace_port}) {
    if (auto owner = FindListener(port); owner && (ours == 0 || owner->pid != ours)) {
      return Status::Unavailable(DescribeListener(port, *owner) +
                                 ": stop that program, or choose other ports with "
                                 "ROCKPOOL_CONTROL_PORT / ROCKPOOL_WORKSPACE_PORT");
    }
  }
  RP_ASSIGN_OR_RETURN(const OriginOptions origins, ctx.config().Origins());
  if (!origins.enabled()) return Status::Ok();
  for (const auto& [port, owner] : FindListeners(origins.first_port, origins.last_port)) {
    if (ours == 0 || owner.pid != ours) {
      return Status::Unavailable(DescribeListener(port, owner) +
                                 ", inside the workspace origins' range: stop that program, or "
                                 "choose another range with ROCKPOOL_ORIGIN_PORTS");
    }
  }
  return Status::Ok();
}

Status EnsureProxy(Context& ctx) {
  RP_ASSIGN_OR_RETURN(const OriginOptions origins, ctx.config().Origins());
  if (!ctx.proxy().Ping().ok()) {
    RP_RETURN_IF_ERROR(CheckProxyPorts(ctx));
    RP_RETURN_IF_ERROR(ctx.caddy().EnsureRunning());
  }
  RP_RETURN_IF_ERROR(LoadRoutes(ctx));
  const ProxyConfig config = ctx.proxy_config();
  Say("proxy: caddy serves :" + std::to_string(config.workspace_port) +
      " (workspaces) and :" + std::to_string(config.control_port) + " (API, dashboard)" +
      (origins.enabled() ? ", and workspace origins on :" + std::to_string(origins.first_port) +
                               "-" + std::to_string(origins.last_port)
                         : ""));
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

Status EnsureWorkspace(Context& ctx, const std::string& name) {
  CurlHttpClient http(HttpEndpoint::Unix(ctx.config().local_socket()));
  client::ApiClient api(http);
  auto ws = api.Get(name);
  if (!ws.ok() && ws.status().code() != Code::kNotFound) return ws.status();
  if (!ws.ok()) {
    Say("workspace " + name +
        ": creating (it never stops for idleness; change that with "
        "`rockpool ws set " +
        name + " --idle-timeout 30m`)");
    // The workspace `up` promises stays reachable; the ones people create get the default.
    RP_ASSIGN_OR_RETURN(ws, api.Create(name, ctx.config().image, {}, int64_t{0}));
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
