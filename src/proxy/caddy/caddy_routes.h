// Route builders for the two servers of the bootstrap config (internal to proxy/caddy).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "proxy/proxy.h"

namespace rockpool::caddy {

// Server "workspaces": /workspace/<name>/... and /workspace/<name>/port/<port>/...
nlohmann::json WorkspaceServer(const ProxyConfig& config);
// Server "control": API, dashboard, and the redirect of /workspace/ to the workspace server.
nlohmann::json ControlServer(const ProxyConfig& config);

// Shared pieces.
nlohmann::json StaticResponse(int status, std::string content_type, std::string body);
nlohmann::json Redirect(int status, std::string location);
nlohmann::json ReverseProxy(std::string dial);
nlohmann::json AuthRoute(const BasicAuth& auth, nlohmann::json matcher_set);
std::string HtmlPage(const std::string& title, const std::string& body_html);
nlohmann::json NotFoundRoute();

}  // namespace rockpool::caddy
