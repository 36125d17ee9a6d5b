// Server "control": the REST API, the dashboard, and the seed's MVP URL redirected to the
// workspace server (a separate origin, so a workspace page cannot script the API).
#include <string>

#include "proxy/caddy/caddy_routes.h"

namespace rockpool::caddy {
namespace {

using nlohmann::json;

// RFC 3986 path characters (percent-encoded bytes stay encoded) after the workspace name,
// then the query. Host: a name or an IP literal with an optional port.
constexpr char kToWorkspacePattern[] =
    R"(^/workspace/([a-z0-9-]+)(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?(\?[^#\s]*)?$)";
constexpr char kHostPattern[] = R"(^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]+)?$)";

// /workspace/... on this server moves to the same path on the workspace port of the same
// host. Scheme, host, name, rest and query all come from validated values.
json WorkspacePortRedirect(const ProxyConfig& config) {
  json match = RawUriMatcher("rp_to_ws", kToWorkspacePattern);
  match["header_regexp"] = {{"Host", {{"name", "rp_host"}, {"pattern", kHostPattern}}}};
  return TerminalRoute(
      std::move(match),
      json::array({Redirect(302, "{http.request.scheme}://{http.regexp.rp_host.1}:" +
                                     std::to_string(config.workspace_port) +
                                     "/workspace/{http.regexp.rp_to_ws.1}"
                                     "{http.regexp.rp_to_ws.2}{http.regexp.rp_to_ws.3}")}));
}

// Files under dashboard_root; paths that are no file get index.html (history routing).
// index.html is revalidated on every load; hashed assets are cached for good.
json DashboardRoutes(const std::string& root) {
  auto set_header = [](std::string value) {
    return json{{"handler", "headers"}, {"response", {{"set", {{"Cache-Control", {value}}}}}}};
  };
  json file_server = {{"handler", "file_server"}, {"root", root}};
  json try_files = {
      {"file",
       {{"root", root}, {"try_files", json::array({"{http.request.uri.path}", "/index.html"})}}}};
  return json::array(
      {{{"handle", json::array({{{"handler", "rewrite"}, {"strip_path_prefix", "/app"}}})}},
       TerminalRoute(PathMatcher({"/assets/*"}),
                     json::array({set_header("public, max-age=31536000, immutable"), file_server})),
       {{"match", json::array({try_files})},
        {"handle",
         json::array({{{"handler", "rewrite"}, {"uri", "{http.matchers.file.relative}"}}})}},
       {{"match", json::array({PathMatcher({"/", "/index.html"})})},
        {"handle", json::array({set_header("no-cache")})}},
       {{"handle", json::array({file_server})}}});
}

json DashboardHandler(const ProxyConfig& config) {
  if (config.dashboard_root.empty()) {
    return StaticResponse(200, kHtml,
                          HtmlPage("Rockpool",
                                   "<p>The dashboard is not installed. The API "
                                   "answers at <code>/api/</code>.</p>"));
  }
  return {{"handler", "subroute"}, {"routes", DashboardRoutes(config.dashboard_root)}};
}

json ErrorRoutes() {
  return json::array(
      {ErrorSecurityHeadersRoute(Site::kControl), AuthDownErrorRoute(), ApiDownErrorRoute()});
}

}  // namespace

json ControlServer(const ProxyConfig& config) {
  json routes = json::array(
      {SecurityHeadersRoute(Site::kControl), PathGuardRoute(), ApiRoute(config),
       ForwardAuthRoute(config, PathMatcher({"/app", "/app/*", "/workspace/*"})),
       WorkspacePortRedirect(config),
       TerminalRoute(PathMatcher({"/app"}), json::array({Redirect(308, "/app/")})),
       TerminalRoute(PathMatcher({"/app/*"}), json::array({DashboardHandler(config)})),
       TerminalRoute(PathMatcher({"/"}), json::array({Redirect(302, "/app/workspaces")})),
       NotFoundRoute()});
  return {{"listen", {":" + std::to_string(config.control_port)}},
          {"automatic_https", {{"disable", true}}},
          {"routes", std::move(routes)},
          {"errors", {{"routes", ErrorRoutes()}}}};
}

}  // namespace rockpool::caddy
