// Context: the real adapters a subcommand needs, built on first use from the Config. Only the
// CLI wires concrete implementations together; libraries see interfaces.
#pragma once

#include <memory>

#include "cli/config.h"
#include "images/image_store.h"
#include "network/firewall.h"
#include "proxy/proxy.h"
#include "runtime/runtime.h"
#include "sys/process.h"

namespace rockpool {

namespace incus {
class IncusRuntime;
class IncusClient;
}  // namespace incus
using incus::IncusRuntime;
namespace tart {
class TartRuntime;
}  // namespace tart
class CaddyDaemon;

class Context {
 public:
  explicit Context(Config config);
  ~Context();

  const Config& config() const { return config_; }
  ProcessRunner& runner() { return runner_; }

  // The engine's API in no particular project (paths name their project); fails with the fix
  // when the daemon does not answer.
  Result<std::shared_ptr<incus::IncusClient>> engine();
  // Each fails with the fix when the engine or the proxy cannot be reached, or when the
  // deployment's LXD project is missing or another deployment's. runtime() is the one
  // ROCKPOOL_RUNTIME names (a TartRuntime for "tart"); incus() fails for "tart".
  Result<Runtime*> runtime();
  Result<IncusRuntime*> incus();
  Result<ImageStore*> images();
  Proxy& proxy();
  CaddyDaemon& caddy();
  // The host firewall for the workspace bridge, built from the bridge's subnet as the engine
  // reports it and the egress settings; fails when either cannot be had.
  Result<Firewall*> firewall();
  ProxyConfig proxy_config() const;
  std::string engine_socket() const;

 private:
  Config config_;
  RealProcessRunner runner_;
  std::shared_ptr<incus::IncusClient> engine_;
  std::unique_ptr<IncusRuntime> runtime_;
  std::unique_ptr<tart::TartRuntime> tart_;
  std::unique_ptr<ImageStore> images_;
  std::unique_ptr<Proxy> proxy_;
  std::unique_ptr<CaddyDaemon> caddy_;
  std::unique_ptr<Firewall> firewall_;
};

}  // namespace rockpool
