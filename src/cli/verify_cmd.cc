// rockpool verify <name>: the IDE answers through the proxy, as a browser would reach it.
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "cli/commands.h"
#include "core/names.h"
#include "http/curl_client.h"
#include "http/encoding.h"

namespace rockpool {

Status VerifyWorkspace(const Config& config, const std::string& name) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(name));
  // Caddy asks for basic auth when credentials are set; they come from the environment.
  auto client = [](int port) {
    return std::make_unique<CurlHttpClient>(
        HttpEndpoint::Tcp("http://127.0.0.1:" + std::to_string(port)), BasicAuthFromEnvironment());
  };
  std::unique_ptr<CurlHttpClient> http = client(config.workspace_port);
  std::string base = "/workspace/" + name + "/";
  RP_ASSIGN_OR_RETURN(auto health, http->Send({.target = base + "healthz"}));
  // In port mode the path is an entry point: it redirects to the workspace's own origin,
  // http://<host>:<port>/healthz, which takes the same credentials.
  if (health.status == 307) {
    const std::string location = health.Header("Location");
    const size_t authority = location.find("://");
    const size_t path = location.find('/', authority == std::string::npos ? 0 : authority + 3);
    const size_t colon = location.rfind(':', path);
    int port = 0;
    if (authority != std::string::npos && path != std::string::npos && colon > authority) {
      port = std::atoi(location.substr(colon + 1, path - colon - 1).c_str());
    }
    if (port <= 0 || port > 65535) {
      return Status::Unavailable("verify " + name + ": GET " + config.WorkspaceUrl(name) +
                                 "healthz redirected to \"" + location +
                                 "\", not to a workspace origin");
    }
    http = client(port);
    base = "/";
    RP_ASSIGN_OR_RETURN(health, http->Send({.target = base + "healthz"}));
  }
  if (health.status == 401) {
    return Status::InvalidArgument("verify " + name +
                                   ": the proxy asks for credentials: set "
                                   "ROCKPOOL_USERNAME and ROCKPOOL_PASSWORD");
  }
  if (health.status != 200) {
    return Status::Unavailable("verify " + name + ": GET " + config.WorkspaceUrl(name) +
                               "healthz answered " + std::to_string(health.status) +
                               "; is the workspace running? (rockpool workspace start " + name +
                               ")");
  }
  // code-server answers the folder-less URL with a relative redirect to "./?folder=...".
  RP_ASSIGN_OR_RETURN(auto page, http->Send({.target = base}));
  std::string location = page.Header("Location");
  if ((page.status == 302 || page.status == 301) && location.rfind("./", 0) == 0) {
    RP_ASSIGN_OR_RETURN(page, http->Send({.target = base + location.substr(2)}));
  }
  if (page.status != 200 ||
      page.body.find("vscode-workbench-web-configuration") == std::string::npos) {
    return Status::Unavailable("verify " + name + ": GET " + config.WorkspaceUrl(name) +
                               " answered " + std::to_string(page.status) +
                               " without the VS Code workbench");
  }
  return Status::Ok();
}

void AddVerify(CLI::App& sub, Context& ctx) {
  auto name = std::make_shared<std::string>();
  sub.add_option("name", *name, "Workspace name")->required();
  sub.callback([&ctx, name] {
    ExitOnError(VerifyWorkspace(ctx.config(), *name));
    std::printf("ok: %s answers with the VS Code workbench\n",
                ctx.config().WorkspaceUrl(*name).c_str());
  });
}

}  // namespace rockpool
