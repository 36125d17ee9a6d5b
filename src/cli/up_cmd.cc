// rockpool up: engine, image, credentials, proxy, control plane and a workspace, each step
// skipped when already in place. rockpool down: stops workspaces, the supervisor, the control
// plane and the proxy, and fails naming what still runs; data is kept.
#include <cstdio>
#include <thread>

#include "cli/commands.h"
#include "cli/service.h"
#include "cli/steps.h"
#include "client/api_client.h"
#include "core/names.h"
#include "http/curl_client.h"
#include "proxy/caddy/caddy_daemon.h"

namespace rockpool {
namespace {

Status Up(Context& ctx, const std::string& name) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(name));
  RP_RETURN_IF_ERROR(EnsurePrivateState(ctx));
  RP_RETURN_IF_ERROR(EnsureCredentials(ctx));  // first: nothing starts without them
  RP_RETURN_IF_ERROR(EnsureEngine(ctx));
  RP_RETURN_IF_ERROR(EnsureImage(ctx));
  RP_RETURN_IF_ERROR(EnsureService(ctx));  // systemd units, or the supervisor: Caddy and serve
  RP_RETURN_IF_ERROR(EnsureProxy(ctx));
  RP_RETURN_IF_ERROR(EnsureWorkspace(ctx, name));
  const Config& c = ctx.config();
  std::printf("\nRockpool is up.\n  workspace \"%s\": %s\n  dashboard:      http://%s:%d/app/\n",
              name.c_str(), c.WorkspaceUrl(name).c_str(), c.public_host.c_str(), c.control_port);
  return Status::Ok();
}

Status Down(Context& ctx) {
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
  RP_RETURN_IF_ERROR(StopService(ctx));
  std::printf("Rockpool is down (workspaces and their files are kept; `rockpool up` resumes)\n");
  return Status::Ok();
}

}  // namespace

void AddUp(CLI::App& sub, Context& ctx) {
  auto name = std::make_shared<std::string>("test");
  sub.add_option("name", *name, "Workspace to bring up (default: test)");
  sub.callback([&ctx, name] { ExitOnError(Up(ctx, *name)); });
}

void AddDown(CLI::App& sub, Context& ctx) {
  sub.callback([&ctx] { ExitOnError(Down(ctx)); });
}

}  // namespace rockpool
