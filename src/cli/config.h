// Config: where Rockpool's pieces live on this host. Defaults suit a single machine; each
// value can be overridden by an environment variable (named beside it) or a flag.
#pragma once

#include <string>
#include <utility>

#include "core/limits.h"

namespace rockpool {

struct Config {
  std::string state_dir = "/var/lib/rockpool";  // ROCKPOOL_STATE_DIR
  std::string log_dir = "/var/log/rockpool";    // ROCKPOOL_LOG_DIR
  std::string engine_socket;                    // ROCKPOOL_ENGINE_SOCKET; empty: detect
  std::string caddy_admin = "127.0.0.1:2119";   // ROCKPOOL_CADDY_ADMIN
  int control_port = 8080;                      // ROCKPOOL_CONTROL_PORT
  int workspace_port = 8081;                    // ROCKPOOL_WORKSPACE_PORT
  std::string api_listen = "127.0.0.1:7163";    // ROCKPOOL_API_LISTEN
  std::string image = "rockpool-workspace";     // ROCKPOOL_IMAGE
  std::string recipe_dir;                       // ROCKPOOL_RECIPE_DIR; default <repo>/images/linux
  std::string public_host = "localhost";        // ROCKPOOL_HOST: host name in printed URLs
  std::string bridge = "rpbr0";                 // ROCKPOOL_BRIDGE
  std::string pool = "rockpool";                // ROCKPOOL_POOL

  std::string socket_dir() const { return state_dir + "/sockets"; }
  std::string caddy_dir() const { return state_dir + "/caddy"; }
  std::string database() const { return state_dir + "/rockpool.db"; }
  std::string WorkspaceUrl(const std::string& name) const;
  std::string ApiUrl() const { return "http://" + api_listen; }
  // api_listen split into host and port.
  std::pair<std::string, int> ApiAddress() const;

  // Defaults, then the environment.
  static Config FromEnvironment();
};

// Workspace limits from ROCKPOOL_DEFAULT_{CPUS,MEMORY_MIB,PROCESSES,DISK_GIB} and
// ROCKPOOL_MAX_* (core/limits.h has the built-in values); InvalidArgument naming the setting.
Result<LimitsPolicy> LimitsPolicyFromEnvironment();

// The repository root (the folder holding images/ and web/), found from the executable's path.
std::string SourceRoot();

}  // namespace rockpool
