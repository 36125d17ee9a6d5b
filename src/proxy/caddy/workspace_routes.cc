// Server "workspaces". Placeholders work in `dial` and in rewrite's strip_path_prefix on Caddy
// 2.6.2, so a path_regexp matcher's groups pick both the socket and the prefix to strip.
#include <string>

#include "proxy/caddy/caddy_routes.h"

namespace rockpool::caddy {
namespace {

using nlohmann::json;

constexpr char kSlashPattern[] = "^/workspace/([a-z0-9-]+)(/port/[0-9]+)?$";
constexpr char kPortPattern[] = "^/workspace/([a-z0-9-]+)/port/([0-9]+)/.*$";
constexpr char kWorkspacePattern[] = "^/workspace/([a-z0-9-]+)/.*$";
constexpr char kHtml[] = "text/html; charset=utf-8";

json PathRegexp(const std::string& name, const std::string& pattern) {
  return {{"name", name}, {"pattern", pattern}};
}

std::string Trimmed(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

// "/workspace/<name>" and ".../port/<p>" get their trailing slash, keeping the query.
json SlashRedirects() {
  json with_query = {{"path_regexp", PathRegexp("rp_slash", kSlashPattern)},
                     {"expression", "{http.request.uri.query} != ''"}};
  return json::array(
      {{{"match", json::array({with_query})},
        {"handle",
         json::array({Redirect(308, "{http.request.uri.path}/?{http.request.uri.query}")})},
        {"terminal", true}},
       {{"match", json::array({{{"path_regexp", PathRegexp("rp_slash", kSlashPattern)}}})},
        {"handle", json::array({Redirect(308, "{http.request.uri.path}/")})},
        {"terminal", true}}});
}

// Proxies to <socket_dir>/<socket> with `prefix` stripped when that socket file exists;
// otherwise answers 404 with `missing_page` (no dial, no wait).
json SocketRoute(const ProxyConfig& config, const std::string& matcher, const std::string& pattern,
                 const std::string& prefix, const std::string& socket, std::string missing_page) {
  std::string dir = Trimmed(config.socket_dir);
  json exists = {{"file", {{"root", dir}, {"try_files", json::array({"/" + socket})}}}};
  json proxy = {{"match", json::array({exists})},
                {"handle", json::array({{{"handler", "rewrite"}, {"strip_path_prefix", prefix}},
                                        ReverseProxy("unix/" + dir + "/" + socket)})},
                {"terminal", true}};
  json missing = {{"handle", json::array({StaticResponse(404, kHtml, std::move(missing_page))})}};
  return {{"match", json::array({{{"path_regexp", PathRegexp(matcher, pattern)}}})},
          {"handle", json::array({{{"handler", "subroute"}, {"routes", {proxy, missing}}}})},
          {"terminal", true}};
}

json PortRoute(const ProxyConfig& config) {
  const std::string name = "{http.regexp.rp_port.1}", port = "{http.regexp.rp_port.2}";
  return SocketRoute(config, "rp_port", kPortPattern, "/workspace/" + name + "/port/" + port,
                     name + "." + port + ".sock",
                     HtmlPage("Port " + port + " of workspace \"" + name + "\" is not forwarded",
                              "<p>Nothing listens for this port. Forward it from the dashboard "
                              "or the rockpool CLI while the workspace is running.</p>"));
}

json WorkspaceRoute(const ProxyConfig& config) {
  const std::string name = "{http.regexp.rp_ws.1}";
  return SocketRoute(config, "rp_ws", kWorkspacePattern, "/workspace/" + name, name + ".sock",
                     HtmlPage("Workspace \"" + name + "\" is not running",
                              "<p>It is stopped, still starting, or does not exist. Start it "
                              "from the dashboard or with <code>rockpool ws start " +
                                  name + "</code>, then reload this page.</p>"));
}

// A socket file that nobody accepts on (a stopped instance leaves it behind) fails the dial:
// reverse_proxy reports 502, answered here with a page instead of an empty body.
json ErrorRoutes() {
  auto bad_gateway = [](const std::string& matcher, const std::string& pattern,
                        const std::string& title) {
    json match = {{"expression", "{http.error.status_code} == 502"},
                  {"path_regexp", PathRegexp(matcher, pattern)}};
    return json{
        {"match", json::array({match})},
        {"handle",
         json::array({StaticResponse(502, kHtml,
                                     HtmlPage(title,
                                              "<p>Its socket exists but nothing answered: it "
                                              "is stopped or still starting. Start it from the "
                                              "dashboard, then reload this page.</p>"))})}};
  };
  return json::array({bad_gateway("rp_err_port", kPortPattern,
                                  "Port {http.regexp.rp_err_port.2} of workspace "
                                  "\"{http.regexp.rp_err_port.1}\" is not answering"),
                      bad_gateway("rp_err_ws", kWorkspacePattern,
                                  "Workspace \"{http.regexp.rp_err_ws.1}\" is not answering")});
}

}  // namespace

json WorkspaceServer(const ProxyConfig& config) {
  json routes = json::array();
  if (config.auth) routes.push_back(AuthRoute(*config.auth, {{"path", {"/workspace/*"}}}));
  for (auto& r : SlashRedirects()) routes.push_back(std::move(r));
  routes.push_back(PortRoute(config));  // before WorkspaceRoute, whose pattern also matches
  routes.push_back(WorkspaceRoute(config));
  routes.push_back(NotFoundRoute());
  return {{"listen", {":" + std::to_string(config.workspace_port)}},
          {"automatic_https", {{"disable", true}}},
          {"routes", std::move(routes)},
          {"errors", {{"routes", ErrorRoutes()}}}};
}

}  // namespace rockpool::caddy
