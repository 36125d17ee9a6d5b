#include "cli/steps.h"

#include <cstdio>
#include <filesystem>

#include "images/builder.h"
#include "proxy/caddy/caddy_daemon.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/lifecycle.h"
#include "sys/ports.h"

namespace rockpool {
namespace {

void Say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace

Status EnsureEngine(Context& ctx) { return ctx.runtime().status(); }

Status EnsureImage(Context& ctx, bool force) {
  RP_ASSIGN_OR_RETURN(ImageStore * store, ctx.images());
  ImageBuildOptions options;
  options.recipe_dir = ctx.config().recipe_dir;
  options.work_dir = ctx.config().state_dir + "/image-build";
  options.alias = ctx.config().image;
  options.force = force;
  RP_RETURN_IF_ERROR(BuildImage(options, ctx.runner(), *store, Say));
  RP_ASSIGN_OR_RETURN(IncusRuntime * incus, ctx.incus());
  return incus->PrepareTemplate(ctx.config().image).status();
}

Status EnsureProxy(Context& ctx) {
  if (!ctx.proxy().Ping().ok()) {
    // Caddy is not ours yet: its ports must be free before it can take them.
    for (int port : {ctx.config().control_port, ctx.config().workspace_port}) {
      if (auto owner = FindListener(port)) {
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
      " (workspaces) and :" + std::to_string(config.control_port));
  return Status::Ok();
}

Status EnsureWorkspace(Context& ctx, const std::string& name) {
  RP_ASSIGN_OR_RETURN(Runtime * runtime, ctx.runtime());
  auto info = runtime->Inspect(name);
  if (!info.ok() && info.status().code() != Code::kNotFound) return info.status();
  if (!info.ok()) {
    Say("workspace " + name + ": creating");
    return CreateWorkspaceInstance(*runtime, name, ctx.config().image);
  }
  if (!info->running) {
    Say("workspace " + name + ": starting");
    return StartWorkspaceInstance(*runtime, name);
  }
  return runtime->WaitHealthy(name, kHealthTimeout);
}

}  // namespace rockpool
