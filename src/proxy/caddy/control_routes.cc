// Server "control": the REST API, the dashboard, and the seed's MVP URL redirected to the
// workspace server (a separate origin, so a workspace page cannot script the API).
#include <string>

#include "proxy/caddy/caddy_routes.h"

namespace rockpool::caddy {
namespace {

using nlohmann::json;

json PathRoute(std::initializer_list<std::string> paths, json handler) {
  return {{"match", json::array({{{"path", paths}}})},
          {"handle", json::array({std::move(handler)})},
          {"terminal", true}};
}

json ApiUnavailable() {
  json body = {{"error",
                {{"code", "unavailable"},
                 {"message", "the control plane is not running; start it with: rockpool serve"}}}};
  return StaticResponse(503, "application/json", body.dump());
}

json ApiHandler(const ProxyConfig& config) {
  if (config.control_plane_upstream.empty()) return ApiUnavailable();
  return ReverseProxy(config.control_plane_upstream);
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
       {{"match", json::array({{{"path", {"/assets/*"}}}})},
        {"handle", json::array({set_header("public, max-age=31536000, immutable"), file_server})},
        {"terminal", true}},
       {{"match", json::array({try_files})},
        {"handle",
         json::array({{{"handler", "rewrite"}, {"uri", "{http.matchers.file.relative}"}}})}},
       {{"match", json::array({{{"path", {"/", "/index.html"}}}})},
        {"handle", json::array({set_header("no-cache")})}},
       {{"handle", json::array({file_server})}}});
}

json DashboardHandler(const ProxyConfig& config) {
  if (config.dashboard_root.empty()) {
    return StaticResponse(200, "text/html; charset=utf-8",
                          HtmlPage("Rockpool",
                                   "<p>The dashboard is not installed. The API "
                                   "answers at <code>/api/</code>.</p>"));
  }
  return {{"handler", "subroute"}, {"routes", DashboardRoutes(config.dashboard_root)}};
}

json ApiErrorRoutes(const ProxyConfig& config) {
  json body = {{"error",
                {{"code", "unavailable"},
                 {"message", "the control plane at " + config.control_plane_upstream +
                                 " did not answer; start it with: rockpool serve"}}}};
  json match = {{"path", {"/api/*"}}, {"expression", "{http.error.status_code} == 502"}};
  return json::array(
      {{{"match", json::array({match})},
        {"handle", json::array({StaticResponse(502, "application/json", body.dump())})}}});
}

}  // namespace

json ControlServer(const ProxyConfig& config) {
  json routes = json::array();
  if (config.auth) {
    json protect = {{"path", {"/api/*", "/app", "/app/*", "/workspace/*"}},
                    {"not", json::array({{{"path", {"/api/health"}}}})}};
    routes.push_back(AuthRoute(*config.auth, protect));
  }
  routes.push_back(
      PathRoute({"/workspace/*"},
                Redirect(302, "{http.request.scheme}://{http.request.host}:" +
                                  std::to_string(config.workspace_port) + "{http.request.uri}")));
  routes.push_back(PathRoute({"/api/health", "/api/*"}, ApiHandler(config)));
  routes.push_back(PathRoute({"/app"}, Redirect(308, "/app/")));
  routes.push_back(PathRoute({"/app/*"}, DashboardHandler(config)));
  routes.push_back(PathRoute({"/"}, Redirect(302, "/app/workspaces")));
  routes.push_back(NotFoundRoute());
  return {{"listen", {":" + std::to_string(config.control_port)}},
          {"automatic_https", {{"disable", true}}},
          {"routes", std::move(routes)},
          {"errors", {{"routes", ApiErrorRoutes(config)}}}};
}

}  // namespace rockpool::caddy
