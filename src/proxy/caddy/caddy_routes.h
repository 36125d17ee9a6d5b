// Route builders for the servers of the bootstrap config (internal to proxy/caddy).
//
// Matching rule: a route that serves content or builds a redirect matches the request's raw
// URI ({http.request.uri}) with an anchored regexp, and builds paths, socket names and
// Locations only from that regexp's captures. Caddy's path matchers clean the path first
// (merged slashes, resolved dot segments), so they are used only for the wider checks that
// must not miss anything: forward auth and the /api body limit.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "proxy/proxy.h"

namespace rockpool::caddy {

// Server "workspaces": /workspace/<name>/... and /workspace/<name>/port/<port>/...
nlohmann::json WorkspaceServer(const ProxyConfig& config);
// Server "control": API, dashboard, and the redirect of /workspace/ to the workspace server.
nlohmann::json ControlServer(const ProxyConfig& config);
// Server "origins" (port mode): every port of config.origin_first_port..origin_last_port
// serves, at /, the socket the control plane's forward-auth answer names.
nlohmann::json OriginServer(const ProxyConfig& config);

// caddy_routes.cc: shared pieces.
inline constexpr char kHtml[] = "text/html; charset=utf-8";
nlohmann::json StaticResponse(int status, std::string content_type, std::string body);
nlohmann::json Redirect(int status, std::string location);
nlohmann::json ReverseProxy(std::string dial);
// reverse_proxy to the control plane's serve processes (config.control_plane_upstreams, not
// empty): with several, requests take turns, and one whose process does not take the
// connection (stopped, restarting) goes to another.
nlohmann::json ControlPlaneProxy(const ProxyConfig& config);
std::string HtmlPage(const std::string& title, const std::string& body_html);
nlohmann::json NotFoundRoute();
// A matcher set on the raw URI (path and query, still percent-encoded); captures become
// {http.regexp.<name>.<i>}.
nlohmann::json RawUriMatcher(const std::string& name, const std::string& pattern);
nlohmann::json PathMatcher(std::initializer_list<std::string> paths);
// A terminal route: `matcher` (a matcher set, null for none) then `handlers`.
nlohmann::json TerminalRoute(nlohmann::json matcher, nlohmann::json handlers);

// safety_routes.cc: what every server does first, and the /api route.
enum class Site { kControl, kWorkspace };
// Sets the security headers on every answer of the main route list (proxied ones included).
nlohmann::json SecurityHeadersRoute(Site site);
// The same for answers written by the error routes, which do not pass through the above.
nlohmann::json ErrorSecurityHeadersRoute(Site site);
// 404 for paths with dot segments or backslashes (raw or percent-encoded), so that the path
// Caddy routes on is the path the client sent and the control plane is asked about.
nlohmann::json PathGuardRoute();
// /api/*: bodies over config.api_body_limit get 413, the rest go to the control plane with
// X-Rockpool-Client-Address; 503 JSON when there is no control plane.
nlohmann::json ApiRoute(const ProxyConfig& config);
// Error route: the control plane did not answer an /api request -> 503 JSON.
nlohmann::json ApiDownErrorRoute();

// forward_auth.cc: the control plane's say-so before content is served.
// A header of the control plane's 2xx answer that is set on the request when its value matches
// `pattern` (anchored); otherwise the request goes on without it.
struct CopiedHeader {
  std::string name;  // canonical form ("X-Rockpool-Socket"), as Caddy's placeholders use it
  std::string pattern;
};
// Non-terminal: requests matching `matcher` (null: every request) go on only when
// GET /internal/authorize answers 2xx, with the `copied` headers of the answer; any other
// answer is passed to the client as it is. Terminal 503 when there is no control plane.
nlohmann::json ForwardAuthRoute(const ProxyConfig& config, nlohmann::json matcher,
                                const std::vector<CopiedHeader>& copied = {});
// Error route: the forward-auth subrequest failed (control plane down) -> 503 page.
nlohmann::json AuthDownErrorRoute();
// reverse_proxy to a workspace socket that strips the user's credentials from the request.
nlohmann::json WorkspaceProxy(std::string dial);

}  // namespace rockpool::caddy
