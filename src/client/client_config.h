// Where the `rockpool ws` commands find the API: flags, then the environment
// (ROCKPOOL_API_URL, ROCKPOOL_USERNAME, ROCKPOOL_PASSWORD, ROCKPOOL_TOKEN,
// ROCKPOOL_WORKSPACE_PORT, ROCKPOOL_HOST), then ~/.config/rockpool/config.json ({"apiUrl",
// "username", "token", "tokenId", "password", "workspacePort"}; `rockpool login` writes it),
// then defaults. An API token is sent instead of the password, unless a password is given in a
// layer above the one the token came from. The default API is the control plane's root-only unix
// socket on this host (unix:<ROCKPOOL_STATE_DIR or /var/lib/rockpool>/local.sock); from elsewhere,
// or as another user, use the proxy: http://<host>:8080 with a user and password.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace rockpool::client {

inline constexpr char kUnixScheme[] = "unix:";

struct ClientConfig {
  std::string api_url = "unix:/var/lib/rockpool/local.sock";  // or http(s)://host:port
  std::string username;
  std::string password;
  std::string token;     // an API token's secret; set: used instead of the password
  std::string token_id;  // its id, when `rockpool login` made it (so `logout` can revoke it)
  int workspace_port = 8081;
  std::string host = "localhost";  // names the host in URLs when api_url is a unix socket

  // http://<host of api_url>:<workspace_port>/workspace/<name>/
  std::string WorkspaceUrl(const std::string& name) const;
  // http://<host of api_url>:<port>, the scheme that of api_url (http for a unix socket).
  std::string HostUrl(int port) const;
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

// Writes `fields` into the JSON object in `config_file` (made with its folder when missing),
// removing the keys in `remove`; the file is replaced atomically and is mode 0600, its folder
// 0700, since it may hold a token.
Status UpdateConfigFile(const std::string& config_file, const nlohmann::json& fields,
                        const std::vector<std::string>& remove);

// $XDG_CONFIG_HOME/rockpool/config.json or ~/.config/rockpool/config.json.
std::string DefaultConfigFile(const GetEnv& env);
GetEnv ProcessEnvironment();

}  // namespace rockpool::client
