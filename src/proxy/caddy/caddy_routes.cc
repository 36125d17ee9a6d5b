#include "proxy/caddy/caddy_routes.h"

namespace rockpool::caddy {

using nlohmann::json;

json StaticResponse(int status, std::string content_type, std::string body) {
  return {{"handler", "static_response"},
          {"status_code", status},
          {"headers", {{"Content-Type", {std::move(content_type)}}}},
          {"body", std::move(body)}};
}

json Redirect(int status, std::string location) {
  return {{"handler", "static_response"},
          {"status_code", status},
          {"headers", {{"Location", {std::move(location)}}}}};
}

// flush_interval -1 flushes every write at once: IDE streams and server-sent events are never
// held back in a buffer. WebSocket upgrades pass through reverse_proxy as they are.
json ReverseProxy(std::string dial) {
  return {{"handler", "reverse_proxy"},
          {"flush_interval", -1},
          {"upstreams", json::array({{{"dial", std::move(dial)}}})}};
}

// Caddy retries a request on another upstream only when the connection could not be made, so
// no request reaches two processes. A process that refused one is passed over for 5 s.
json ControlPlaneProxy(const ProxyConfig& config) {
  const auto& dials = config.control_plane_upstreams;
  json proxy = ReverseProxy(dials.front());
  if (dials.size() == 1) return proxy;
  json upstreams = json::array();
  for (const std::string& dial : dials) upstreams.push_back({{"dial", dial}});
  proxy["upstreams"] = std::move(upstreams);
  proxy["load_balancing"] = {{"selection_policy", {{"policy", "round_robin"}}},
                             {"try_duration", "5s"},
                             {"try_interval", "100ms"}};
  proxy["health_checks"] = {{"passive", {{"fail_duration", "5s"}, {"max_fails", 1}}}};
  return proxy;
}

std::string HtmlPage(const std::string& title, const std::string& body_html) {
  return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + title +
         "</title></head>\n<body><h1>" + title + "</h1>\n" + body_html + "\n</body></html>\n";
}

json NotFoundRoute() {
  return {{"handle",
           json::array({StaticResponse(
               404, kHtml, HtmlPage("Not found", "<p>Nothing is served at this address.</p>"))})}};
}

// vars_regexp also tests the name of a variable that is not set, as "<nil>": patterns here
// are anchored at "/" so they never match it.
json RawUriMatcher(const std::string& name, const std::string& pattern) {
  return {{"vars_regexp", {{"{http.request.uri}", {{"name", name}, {"pattern", pattern}}}}}};
}

json PathMatcher(std::initializer_list<std::string> paths) {
  return {{"path", json::array_t(paths.begin(), paths.end())}};
}

json TerminalRoute(json matcher, json handlers) {
  json route = {{"handle", std::move(handlers)}, {"terminal", true}};
  if (!matcher.is_null()) route["match"] = json::array({std::move(matcher)});
  return route;
}

}  // namespace rockpool::caddy
