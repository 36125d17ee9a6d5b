// The bootstrap config: the whole Caddy 2.6 JSON document Rockpool loads through the admin
// API. One config serves every workspace: routes find a workspace by the name in the URL path
// (on the origin ports of port mode, by the socket the forward-auth answer names) and dial its
// host socket (<socket_dir>/<name>.sock, <name>.<port>.sock), so creating, stopping or
// deleting a workspace never changes Caddy's config (on 2.6 each change closes every proxied
// WebSocket).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "proxy/proxy.h"

namespace rockpool {

inline constexpr std::string_view kDefaultCaddyAdminAddress = "127.0.0.1:2019";

// Pure: the same inputs always give the same document. `admin_listen` is kept in the config
// because POST /load replaces the admin section too.
nlohmann::json BuildBootstrapConfig(const ProxyConfig& config,
                                    std::string_view admin_listen = kDefaultCaddyAdminAddress);

// The @id ("rockpool-config-<16 hex digits>") that BuildBootstrapConfig puts on the workspace
// server's last route; the digits are a digest of the rest of the document, so a running
// config holding this id is Rockpool's and current.
std::string BootstrapMarkerId(const ProxyConfig& config,
                              std::string_view admin_listen = kDefaultCaddyAdminAddress);

}  // namespace rockpool
