// Server "origins" (port mode). Each port of the range is the origin of one workspace IDE or
// one forwarded port, served at /. Which one is not in Caddy's config: the control plane's
// forward-auth answer names the socket in X-Rockpool-Socket (it decides by X-Forwarded-Host,
// which carries the port), so giving a port out never changes the config.
//
// The client cannot choose the socket: its own X-Rockpool-Socket is deleted before forward
// auth, the answer's is copied only when it is a socket file name, and WorkspaceProxy deletes
// it again before the workspace.
#include <string>

#include "proxy/caddy/caddy_routes.h"
#include "sockets/workspace_sockets.h"

namespace rockpool::caddy {
namespace {

using nlohmann::json;

using sockets::kSocketHeader;
// A file name of sockets/workspace_sockets.h: <name>.sock or <name>.<port>.sock. No "/", no
// "..", nothing but what a name and a port are made of.
constexpr char kSocketPattern[] = R"(^[a-z0-9-]+(\.[0-9]+)?\.sock$)";

json DeleteClientSocketHeader() {
  return {{"handle", json::array({{{"handler", "headers"},
                                   {"request", {{"delete", json::array({kSocketHeader})}}}}})}};
}

json NotRunningPage() {
  return StaticResponse(
      404, kHtml,
      HtmlPage("This workspace or port is not running",
               "<p>Nothing is served on this port: its workspace is stopped, still starting or "
               "deleted, or its port is not forwarded. Start the workspace from the dashboard or "
               "with <code>rockpool ws start &lt;name&gt;</code>, forward the port if it is one, "
               "then reload this page.</p>"));
}

// Proxies to the named socket, path and query as they came, when that file exists. Not
// terminal: a name that is no file falls through to the page after it. The name is checked
// again here, on the request, before the file check builds a path from it.
json ContentRoute(const ProxyConfig& config) {
  const std::string dir = sockets::SocketDir(config.socket_dir);
  const std::string socket = std::string("{http.request.header.") + kSocketHeader + "}";
  json named = {
      {"header_regexp", {{kSocketHeader, {{"name", "rp_origin"}, {"pattern", kSocketPattern}}}}}};
  json exists = {{"file", {{"root", dir}, {"try_files", json::array({"/" + socket})}}}};
  json proxy =
      TerminalRoute(std::move(exists), json::array({WorkspaceProxy("unix/" + dir + "/" + socket)}));
  return {{"match", json::array({std::move(named)})},
          {"handle",
           json::array({{{"handler", "subroute"}, {"routes", json::array({std::move(proxy)})}}})}};
}

// A socket file that nobody accepts on fails the dial: reverse_proxy reports 502.
json BadGatewayRoute() {
  json match = {{"expression", "{http.error.status_code} == 502"}};
  return {{"match", json::array({std::move(match)})},
          {"handle", json::array({StaticResponse(
                         502, kHtml,
                         HtmlPage("This workspace or port is not answering",
                                  "<p>Its socket exists but nothing answered: it is stopped or "
                                  "still starting. Start it from the dashboard, then reload this "
                                  "page.</p>"))})}};
}

json ErrorRoutes() {
  return json::array(
      {ErrorSecurityHeadersRoute(Site::kWorkspace), AuthDownErrorRoute(), BadGatewayRoute()});
}

}  // namespace

json OriginServer(const ProxyConfig& config) {
  json routes = json::array({DeleteClientSocketHeader(),
                             SecurityHeadersRoute(Site::kWorkspace),
                             PathGuardRoute(),
                             ForwardAuthRoute(config, nullptr, {{kSocketHeader, kSocketPattern}}),
                             ContentRoute(config),
                             {{"handle", json::array({NotRunningPage()})}}});
  return {{"listen",
           {":" + std::to_string(config.origin_first_port) + "-" +
            std::to_string(config.origin_last_port)}},
          {"automatic_https", {{"disable", true}}},
          {"routes", std::move(routes)},
          {"errors", {{"routes", ErrorRoutes()}}}};
}

}  // namespace rockpool::caddy
