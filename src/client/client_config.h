// Where the `rockpool ws` commands find the API: flags, then the environment
// (ROCKPOOL_API_URL, ROCKPOOL_USERNAME, ROCKPOOL_PASSWORD, ROCKPOOL_WORKSPACE_PORT), then
// ~/.config/rockpool/config.json ({"apiUrl", "username", "password", "workspacePort"}),
// then defaults.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/status.h"

namespace rockpool::client {

struct ClientConfig {
  std::string api_url = "http://127.0.0.1:7163";
  std::string username;
  std::string password;
  int workspace_port = 8081;

  // http://<host of api_url>:<workspace_port>/workspace/<name>/
  std::string WorkspaceUrl(const std::string& name) const;
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
