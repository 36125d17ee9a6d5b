#include "proxy/noop/noop_proxy.h"

#include <spdlog/spdlog.h>

namespace rockpool {

Status NoopProxy::Bootstrap(const ProxyConfig& config) {
  spdlog::debug("noop proxy: bootstrap (control :{}, workspaces :{}) ignored in dev mode",
                config.control_port, config.workspace_port);
  return Status::Ok();
}

Result<bool> NoopProxy::IsBootstrapped(const ProxyConfig& /*config*/) {
  spdlog::debug("noop proxy: asked whether bootstrapped; yes, there is nothing to configure");
  return true;
}

Status NoopProxy::Ping() {
  spdlog::debug("noop proxy: ping");
  return Status::Ok();
}

}  // namespace rockpool
