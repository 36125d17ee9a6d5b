#include "cli/composition.h"

#include "store/sqlite_store.h"

namespace rockpool {

Result<std::unique_ptr<Store>> OpenStore(const Config& config,
                                         const WorkspaceLimits& default_limits, Clock& clock) {
  SqliteStoreOptions options;
  options.default_limits = default_limits;
  RP_ASSIGN_OR_RETURN(options.default_idle_timeout_seconds, config.IdleTimeoutSeconds());
  RP_ASSIGN_OR_RETURN(auto store, SqliteStore::Open(config.database(), clock, options));
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<ControlPlane>> ComposeControlPlane(Context& ctx, ControlPlaneOptions options,
                                                          Clock& clock) {
  RP_ASSIGN_OR_RETURN(Runtime * runtime, ctx.runtime());
  RP_ASSIGN_OR_RETURN(auto store, OpenStore(ctx.config(), options.limits.defaults, clock));
  return std::make_unique<ControlPlane>(std::move(store), *runtime, ctx.proxy(), ctx.proxy_config(),
                                        clock, std::move(options));
}

}  // namespace rockpool
