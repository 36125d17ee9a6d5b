// Forward auth: before a dashboard page or any workspace content (WebSocket upgrades
// included) is served, Caddy asks the control plane with a plain GET /internal/authorize that
// carries the original request's headers. The answer's status decides; Caddy holds no
// credentials itself.
#include <string>
#include <vector>

#include "proxy/caddy/caddy_routes.h"

namespace rockpool::caddy {
namespace {

using nlohmann::json;

// The variable "rp_stage" tells the error routes whose failure an error is: "auth" until the
// control plane said yes, then "content".
json Stage(const std::string& stage) { return {{"handler", "vars"}, {"rp_stage", stage}}; }

json ControlPlaneDownPage() {
  return StaticResponse(
      503, kHtml,
      HtmlPage("The control plane is not running",
               "<p>Rockpool could not check this request with its control plane, so nothing is "
               "served. Start it with <code>rockpool serve</code>, then reload this page.</p>"));
}

// Sets the answer's header on the request only when its value matches: on Caddy 2.6.2 a
// headers handler writes a placeholder the answer did not fill in as its literal text
// ("{http.reverse_proxy.header.X}"), and a vars matcher reads it as "<nil>", never as "", so
// the check cannot be left out nor be a test for emptiness.
json CopyRoute(const CopiedHeader& header) {
  const std::string answer = "{http.reverse_proxy.header." + header.name + "}";
  json valid = {{"vars_regexp", {{answer, {{"name", "rp_copy"}, {"pattern", header.pattern}}}}}};
  json set = {{"handler", "headers"}, {"request", {{"set", {{header.name, {answer}}}}}}};
  return {{"match", json::array({std::move(valid)})}, {"handle", json::array({std::move(set)})}};
}

// The subrequest: method GET, no body, no upgrade headers (so it is a plain request), the
// original method and URI in X-Forwarded-Method / X-Forwarded-Uri; reverse_proxy itself sets
// X-Forwarded-Host and -Proto from the request, ignoring what the client sent. A 2xx answer
// runs the handle_response routes on the original request, which then falls through to the
// rest of the route list.
json AuthorizeSubrequest(const ProxyConfig& config, const std::vector<CopiedHeader>& copied) {
  json proxy = ControlPlaneProxy(config);
  proxy.erase("flush_interval");
  proxy["rewrite"] = {{"method", "GET"}, {"uri", "/internal/authorize?"}};
  proxy["headers"] = {{"request",
                       {{"set",
                         {{"X-Forwarded-Method", {"{http.request.method}"}},
                          {"X-Forwarded-Uri", {"{http.request.uri}"}},
                          {"X-Rockpool-Client-Address", {"{http.request.remote.host}"}}}},
                        {"delete", {"Connection", "Upgrade", "Sec-WebSocket-*"}}}}};
  proxy["transport"] = {{"protocol", "http"}, {"response_header_timeout", "10s"}};
  json allowed = json::array({{{"handle", json::array({Stage("content")})}}});
  for (const CopiedHeader& header : copied) allowed.push_back(CopyRoute(header));
  proxy["handle_response"] =
      json::array({{{"match", {{"status_code", {2}}}}, {"routes", std::move(allowed)}}});
  return proxy;
}

}  // namespace

json ForwardAuthRoute(const ProxyConfig& config, json matcher,
                      const std::vector<CopiedHeader>& copied) {
  if (config.control_plane_upstreams.empty()) {
    return TerminalRoute(std::move(matcher), json::array({ControlPlaneDownPage()}));
  }
  json route = {{"handle", json::array({Stage("auth"), AuthorizeSubrequest(config, copied)})}};
  if (!matcher.is_null()) route["match"] = json::array({std::move(matcher)});
  return route;
}

json AuthDownErrorRoute() {
  return {{"match", json::array({{{"vars", {{"rp_stage", {"auth"}}}}}})},
          {"handle", json::array({ControlPlaneDownPage()})}};
}

// Removes Authorization, Proxy-Authorization, every X-Rockpool-* header and every cookie whose
// name starts with "rockpool" (any case); other cookies stay. The cookie header is rewritten
// in two steps: drop each rockpool pair with the ";" before it, then any leading "; ".
//
// Idle upstream connections close after 10 s (Caddy's default is 2 min): the
// control plane counts the connections open on a workspace's sockets as activity
// (worker/socket_activity.h), so this bounds how long a finished request keeps one open.
json WorkspaceProxy(std::string dial) {
  json proxy = ReverseProxy(std::move(dial));
  proxy["transport"] = {{"protocol", "http"}, {"keep_alive", {{"idle_timeout", "10s"}}}};
  json cookie_edits =
      json::array({{{"search_regexp", R"((?i)(^|;)\s*rockpool[^;]*)"}, {"replace", ""}},
                   {{"search_regexp", R"(^[;\s]+)"}, {"replace", ""}}});
  proxy["headers"] = {{"request",
                       {{"delete", {"Authorization", "Proxy-Authorization", "X-Rockpool-*"}},
                        {"replace", {{"Cookie", std::move(cookie_edits)}}}}}};
  return proxy;
}

}  // namespace rockpool::caddy
