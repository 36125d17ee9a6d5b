// rockpool up: engine, image, proxy and a workspace, each step skipped when already in place.
// rockpool down: stops every workspace and the proxy; data is kept.
#include <cstdio>

#include "cli/commands.h"
#include "cli/steps.h"
#include "core/names.h"
#include "proxy/caddy/caddy_daemon.h"

namespace rockpool {

void AddUp(CLI::App& sub, Context& ctx) {
  auto name = std::make_shared<std::string>("test");
  sub.add_option("name", *name, "Workspace to bring up (default: test)");
  sub.callback([&ctx, name] {
    ExitOnError(ValidateWorkspaceName(*name));
    ExitOnError(EnsureEngine(ctx));
    ExitOnError(EnsureImage(ctx));
    ExitOnError(EnsureProxy(ctx));
    ExitOnError(EnsureWorkspace(ctx, *name));
    std::printf("\nRockpool is up. Workspace \"%s\": %s\n", name->c_str(),
                ctx.config().WorkspaceUrl(*name).c_str());
  });
}

void AddDown(CLI::App& sub, Context& ctx) {
  sub.callback([&ctx] {
    auto runtime = ctx.runtime();
    ExitOnError(runtime.status());
    auto list = (*runtime)->List();
    ExitOnError(list.status());
    for (const auto& ws : *list) {
      if (!ws.running) continue;
      std::printf("stopping workspace %s\n", ws.name.c_str());
      ExitOnError((*runtime)->Stop(ws.name));
    }
    ExitOnError(ctx.caddy().Stop());
    std::printf("Rockpool is down (workspaces and their files are kept; `rockpool up` resumes)\n");
  });
}

}  // namespace rockpool
