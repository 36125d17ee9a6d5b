// NoopProxy: the proxy of `rockpool serve --dev`, where the control plane serves the dashboard
// itself and no workspace has content to route to. Nothing is started or configured; every
// call succeeds and is logged at debug level. Never used by `rockpool up` or `rockpool serve`.
#pragma once

#include "proxy/proxy.h"

namespace rockpool {

class NoopProxy final : public Proxy {
 public:
  Status Bootstrap(const ProxyConfig& config) override;
  // Always true: there is nothing to lose, so the reconciler never bootstraps again.
  Result<bool> IsBootstrapped(const ProxyConfig& config) override;
  Status Ping() override;
};

}  // namespace rockpool
