// The composition root: the one place where the control plane's real adapters are chosen and
// wired together. The store is SQLite on the deployment's database file (a PostgreSQL store
// plugs in here and nowhere else); the runtime and the proxy come from the Context.
#pragma once

#include <memory>

#include "cli/context.h"
#include "store/clock.h"
#include "store/store.h"
#include "worker/control_plane.h"

namespace rockpool {

// Opens (creating and migrating) the deployment's store. Workspaces stored without limits read
// as `default_limits`. `clock` must outlive the store.
Result<std::unique_ptr<Store>> OpenStore(const Config& config,
                                         const WorkspaceLimits& default_limits, Clock& clock);

// The control plane on the deployment's store, runtime and proxy; starts nothing. `ctx` and
// `clock` must outlive it.
Result<std::unique_ptr<ControlPlane>> ComposeControlPlane(Context& ctx, ControlPlaneOptions options,
                                                          Clock& clock);

}  // namespace rockpool
