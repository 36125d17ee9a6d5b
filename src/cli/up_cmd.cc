// rockpool up: engine, image, credentials, proxy, control plane and a workspace, each step
// skipped when already in place. rockpool down: stops workspaces, the supervisor, the control
// plane and the proxy, and fails naming what still runs; data is kept.
#include <cstdio>

#include "cli/commands.h"
#include "cli/service.h"
#include "cli/steps.h"
#include "client/api_client.h"
#include "core/names.h"
#include "http/curl_client.h"

namespace rockpool {
namespace {

Status Up(Context& ctx, const std::string& name) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(name));
  RP_RETURN_IF_ERROR(EnsurePrivateState(ctx));
  RP_RETURN_IF_ERROR(EnsureCredentials(ctx));  // first: nothing starts without them
  RP_RETURN_IF_ERROR(CheckProxyPorts(ctx));    // a port in use stops `up` before any change
  RP_RETURN_IF_ERROR(EnsureEngine(ctx));
  RP_RETURN_IF_ERROR(EnsureImage(ctx));
  RP_RETURN_IF_ERROR(EnsureService(ctx));  // systemd units, or the supervisor: Caddy and serve
  RP_RETURN_IF_ERROR(EnsureProxy(ctx));
  RP_RETURN_IF_ERROR(EnsureWorkspace(ctx, name));
  const Config& c = ctx.config();
  // In port mode the IDE is on an origin of its own; its path URL leads there too.
  std::string url = c.WorkspaceUrl(name);
  CurlHttpClient http(HttpEndpoint::Unix(c.local_socket()));
  RP_ASSIGN_OR_RETURN(const int origin, client::ApiClient(http).OriginPort(name));
  if (origin > 0) url = "http://" + c.public_host + ":" + std::to_string(origin) + "/";
  std::printf("\nRockpool is up.\n  workspace \"%s\": %s\n  dashboard:      http://%s:%d/app/\n",
              name.c_str(), url.c_str(), c.public_host.c_str(), c.control_port);
  return Status::Ok();
}

Status Down(Context& ctx) {
  RP_RETURN_IF_ERROR(StopWorkspaces(ctx));
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
