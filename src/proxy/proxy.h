// Proxy: the reverse proxy in front of workspaces and the control plane. Implementations:
// proxy/caddy (Caddy's admin API) and proxy/fake. Lifecycle operations never change the proxy's
// config: the bootstrap routes find a workspace by the name in its URL path (in port mode, by
// the socket the control plane names for the port), through the host sockets the runtime
// creates, so one config serves every workspace.
//
// The proxy holds no credentials: every request for the dashboard or a workspace is first
// authorized by the control plane (GET /internal/authorize, a forward-auth subrequest), and the
// control plane authenticates /api itself. Without a control plane nothing protected is served.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auth/basic_auth.h"
#include "core/status.h"

namespace rockpool {

struct ProxyConfig {
  std::string socket_dir;     // where the runtime creates <name>.sock, <name>.<port>.sock
  int control_port = 8080;    // API, dashboard, redirect of /workspace/ to workspace_port
  int workspace_port = 8081;  // workspace content: IDE and forwarded ports
  // Port mode: the inclusive range of host ports that serve workspace origins, one IDE or one
  // forwarded port on each. The control plane's forward-auth answer names the socket a port
  // serves, so ports are given out without a config change. 0/0: no origin server.
  int origin_first_port = 0;
  int origin_last_port = 0;
  // Where the control plane listens, as Caddy dial addresses, one per serve process:
  // "unix//var/lib/rockpool/control.sock" or "127.0.0.1:7163". Requests go to any of them.
  // None: /api, /app and /workspace answer 503.
  std::vector<std::string> control_plane_upstreams;
  std::string dashboard_root;  // directory of the dashboard's files; empty: placeholder
  // Bodies sent to /api larger than this get 413 from the proxy; the control plane never
  // reads them. Matches the API server's own limit.
  int64_t api_body_limit = 64 * 1024;
};

class Proxy {
 public:
  virtual ~Proxy() = default;
  // Replaces the proxy's whole config with the one built from `config`.
  virtual Status Bootstrap(const ProxyConfig& config) = 0;
  // True when the running proxy holds the config Bootstrap would load (compared by a marker
  // that carries a digest of the config); false after a restart wiped it.
  virtual Result<bool> IsBootstrapped(const ProxyConfig& config) = 0;
  // Ok when the admin endpoint answers.
  virtual Status Ping() = 0;
};

}  // namespace rockpool
