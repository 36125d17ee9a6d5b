// Where the `rockpool ws` commands find the API: flags, then the environment
// (ROCKPOOL_API_URL, ROCKPOOL_USERNAME, ROCKPOOL_PASSWORD, ROCKPOOL_WORKSPACE_PORT,
// ROCKPOOL_HOST), then ~/.config/rockpool/config.json ({"apiUrl", "username", "password",
// "workspacePort"}), then defaults. The default API is the control plane's root-only unix socket
// on this host (unix:<ROCKPOOL_STATE_DIR or /var/lib/rockpool>/local.sock); from elsewhere, or as
// another user, use the proxy: http://<host>:8080 with a user and password.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/status.h"

namespace rockpool::client {

inline constexpr char kUnixScheme[] = "unix:";

struct ClientConfig {
  std::string api_url = "unix:/var/lib/rockpool/local.sock";  // or http(s)://host:port
  std::string username;
  std::string password;
  int workspace_port = 8081;
  std::string host = "localhost";  // names the host in URLs when api_url is a unix socket

  // http://<host of api_url>:<workspace_port>/workspace/<name>/
  std::string WorkspaceUrl(const std::string& name) const;
  // The socket path of a unix: api_url; empty for http(s).
  std::string UnixSocket() const;
};

struct ClientFlags {
  std::string api_url, username, password;  // empty: not given
};

using GetEnv = std::function<std::optional<std::string>(const std::string&)>;

// `config_file` may be missing (defaults apply); a malformed one is InvalidArgument.
Result<ClientConfig> ResolveClientConfig(const ClientFlags& flags, const GetEnv& env,
                                         const std::string& config_file);

// $XDG_CONFIG_HOME/rockpool/config.json or ~/.config/rockpool/config.json.
std::string DefaultConfigFile(const GetEnv& env);
GetEnv ProcessEnvironment();

}  // namespace rockpool::client
