// The steps `rockpool up` takes, each idempotent and quick when already done; also used by
// the subcommands that need just one of them.
#pragma once

#include <functional>

#include "cli/context.h"

namespace rockpool {

// The state, log and proxy folders exist and only root may enter them (0700; files 0600).
Status EnsurePrivateState(Context& ctx);
// The engine answers (with the fix when it does not) and the deployment's project is ready.
Status EnsureEngine(Context& ctx);
// The deployment's LXD project, its profile and the bridge exist (project.cc); instances of
// this deployment still in the default project are moved into it, after `before_moving` (which
// stops a control plane that would see them vanish).
Status EnsureProject(Context& ctx, const std::function<Status()>& before_moving = {});
// The workspace image exists and was built from the current recipe (or `force`), and its
// template instance is prepared.
Status EnsureImage(Context& ctx, bool force = false);
// Prints a line of progress at once.
void Say(const std::string& line);
// Caddy has Rockpool's routes (loaded when it has other ones), and the socket folder exists.
Status LoadRoutes(Context& ctx);
// The proxy's listen ports are free, or Caddy's already: checked before anything is set up.
Status CheckProxyPorts(Context& ctx);
// Caddy runs with Rockpool's routes; the listen ports are free or already Caddy's.
Status EnsureProxy(Context& ctx);
// Basic-auth credentials are stored (printing a generated password once).
Status EnsureCredentials(Context& ctx);
// Workspace `name` exists (created through the API when missing) and is running.
Status EnsureWorkspace(Context& ctx, const std::string& name);

}  // namespace rockpool
