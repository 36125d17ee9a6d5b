#include "cli/composition.h"

#include "store/pg_store.h"

namespace rockpool {

Result<std::unique_ptr<Store>> OpenStore(const Config& config,
                                         const WorkspaceLimits& default_limits, Clock& clock) {
  StoreOptions options;
  options.default_limits = default_limits;
  RP_ASSIGN_OR_RETURN(options.default_idle_timeout_seconds, config.IdleTimeoutSeconds());
  RP_RETURN_IF_ERROR(config.CheckDatabase());
  auto store = rockpool::OpenStore(config.database(), clock, options);
  if (!store.ok())
    return store.status().WithContext("open the store " + config.DatabaseForDisplay());
  return std::unique_ptr<Store>(std::move(store).value());
}

Result<std::unique_ptr<ControlPlane>> ComposeControlPlane(Context& ctx, ControlPlaneOptions options,
                                                          Clock& clock) {
  RP_ASSIGN_OR_RETURN(Runtime * runtime, ctx.runtime());
  RP_ASSIGN_OR_RETURN(auto store, OpenStore(ctx.config(), options.limits.defaults, clock));
  return std::make_unique<ControlPlane>(std::move(store), *runtime, ctx.proxy(), ctx.proxy_config(),
                                        clock, std::move(options));
}

}  // namespace rockpool
