// Server "workspaces". Placeholders work in `dial` and in rewrite's strip_path_prefix on Caddy
// 2.6.2, so a regexp's captures pick both the socket and the prefix to strip. The regexps run
// on the raw URI: the prefix Caddy strips is the one the client sent, and a name or port with
// anything but [a-z0-9-] / [0-9] in it reaches no route.
#include <string>

#include "proxy/caddy/caddy_routes.h"
#include "sockets/workspace_sockets.h"

namespace rockpool::caddy {
namespace {

using nlohmann::json;

constexpr char kSlashPattern[] = R"(^/workspace/([a-z0-9-]+)(/port/[0-9]+)?(\?.*)?$)";
constexpr char kPortPattern[] = "^/workspace/([a-z0-9-]+)/port/([0-9]+)/";
constexpr char kWorkspacePattern[] = "^/workspace/([a-z0-9-]+)/";

// "/workspace/<name>" and ".../port/<p>" get their trailing slash, keeping the query. The
// Location is put together from the captures only, so it is always a path on this host.
json SlashRedirect() {
  return TerminalRoute(
      RawUriMatcher("rp_slash", kSlashPattern),
      json::array({Redirect(308,
                            "/workspace/{http.regexp.rp_slash.1}{http.regexp.rp_slash.2}/"
                            "{http.regexp.rp_slash.3}")}));
}

// Proxies to <socket_dir>/<socket> with `prefix` stripped when that socket file exists;
// otherwise answers 404 with `missing_page` (no dial, no wait). `socket` names the file as
// sockets/workspace_sockets.h does, with placeholders for the name and port.
json SocketRoute(const ProxyConfig& config, const std::string& matcher, const std::string& pattern,
                 const std::string& prefix, const std::string& socket, std::string missing_page) {
  const std::string dir = sockets::SocketDir(config.socket_dir);
  json exists = {{"file", {{"root", dir}, {"try_files", json::array({"/" + socket})}}}};
  json proxy = TerminalRoute(std::move(exists),
                             json::array({{{"handler", "rewrite"}, {"strip_path_prefix", prefix}},
                                          WorkspaceProxy("unix/" + dir + "/" + socket)}));
  json missing = {{"handle", json::array({StaticResponse(404, kHtml, std::move(missing_page))})}};
  return TerminalRoute(RawUriMatcher(matcher, pattern),
                       json::array({{{"handler", "subroute"}, {"routes", {proxy, missing}}}}));
}

json PortRoute(const ProxyConfig& config) {
  const std::string name = "{http.regexp.rp_port.1}", port = "{http.regexp.rp_port.2}";
  return SocketRoute(config, "rp_port", kPortPattern, "/workspace/" + name + "/port/" + port,
                     sockets::PortSocketFile(name, port),
                     HtmlPage("Port " + port + " of workspace \"" + name + "\" is not forwarded",
                              "<p>Nothing listens for this port. Forward it from the dashboard "
                              "or the rockpool CLI while the workspace is running.</p>"));
}

json WorkspaceRoute(const ProxyConfig& config) {
  const std::string name = "{http.regexp.rp_ws.1}";
  return SocketRoute(config, "rp_ws", kWorkspacePattern, "/workspace/" + name,
                     sockets::IdeSocketFile(name),
                     HtmlPage("Workspace \"" + name + "\" is not running",
                              "<p>It is stopped, still starting, or does not exist. Start it "
                              "from the dashboard or with <code>rockpool ws start " +
                                  name + "</code>, then reload this page.</p>"));
}

// A socket file that nobody accepts on (a stopped instance leaves it behind) fails the dial:
// reverse_proxy reports 502, answered here with a page instead of an empty body.
json BadGatewayRoute(const std::string& matcher, const std::string& pattern,
                     const std::string& title) {
  json match = RawUriMatcher(matcher, pattern);
  match["expression"] = "{http.error.status_code} == 502";
  return {{"match", json::array({match})},
          {"handle", json::array({StaticResponse(
                         502, kHtml,
                         HtmlPage(title,
                                  "<p>Its socket exists but nothing answered: it is stopped or "
                                  "still starting. Start it from the dashboard, then reload this "
                                  "page.</p>"))})}};
}

json ErrorRoutes() {
  return json::array({ErrorSecurityHeadersRoute(Site::kWorkspace), AuthDownErrorRoute(),
                      BadGatewayRoute("rp_err_port", kPortPattern,
                                      "Port {http.regexp.rp_err_port.2} of workspace "
                                      "\"{http.regexp.rp_err_port.1}\" is not answering"),
                      BadGatewayRoute("rp_err_ws", kWorkspacePattern,
                                      "Workspace \"{http.regexp.rp_err_ws.1}\" is not answering")});
}

}  // namespace

json WorkspaceServer(const ProxyConfig& config) {
  json routes =
      json::array({SecurityHeadersRoute(Site::kWorkspace), PathGuardRoute(),
                   ForwardAuthRoute(config, PathMatcher({"/workspace/*"})), SlashRedirect(),
                   PortRoute(config),  // before WorkspaceRoute, which also matches
                   WorkspaceRoute(config), NotFoundRoute()});
  return {{"listen", {":" + std::to_string(config.workspace_port)}},
          {"automatic_https", {{"disable", true}}},
          {"routes", std::move(routes)},
          {"errors", {{"routes", ErrorRoutes()}}}};
}

}  // namespace rockpool::caddy
