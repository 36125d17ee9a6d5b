// Security headers, the path guard and the /api route with its body limit.
#include <string>

#include "proxy/caddy/caddy_routes.h"

namespace rockpool::caddy {
namespace {

using nlohmann::json;

constexpr char kJson[] = "application/json";
// In the decoded path: a "." or ".." segment, or a backslash (browsers read "\" as "/").
constexpr char kUncleanPath[] = R"((^|/)\.\.?(/|$)|\\)";

// Both sites: no MIME sniffing, no full URLs (paths name workspaces) in Referer to others.
// The control site also refuses to be framed. The workspace site cannot: VS Code frames its
// webviews from its own origin, and a dev app may frame itself.
json SecurityHeaders(Site site) {
  json set = {{"X-Content-Type-Options", {"nosniff"}}, {"Referrer-Policy", {"same-origin"}}};
  if (site == Site::kControl) set["X-Frame-Options"] = {"DENY"};
  return set;
}

json ErrorJson(const std::string& code, const std::string& message) {
  return json{{"error", {{"code", code}, {"message", message}}}}.dump();
}

json ApiUnavailable(int status) {
  return StaticResponse(
      status, kJson,
      ErrorJson("unavailable", "the control plane is not running; start it with: rockpool serve"));
}

json TooLarge(int64_t limit) {
  return StaticResponse(
      413, kJson,
      ErrorJson("too_large", "body: larger than " + std::to_string(limit) + " bytes; send less"));
}

json Expression(const std::string& expression) { return {{"expression", expression}}; }

// Content-Length is checked before anything is read. A body without one (chunked) is read by
// Caddy itself, at most limit + 1 bytes ({http.request.body} buffers it and hands it on), so
// the control plane gets either a whole body within the limit or nothing.
json ApiProxyRoutes(const ProxyConfig& config) {
  const int64_t limit = config.api_body_limit > 0 ? config.api_body_limit : 64 * 1024;
  const std::string n = std::to_string(limit);
  const std::string length = "{http.request.header.Content-Length}";
  json proxy = ControlPlaneProxy(config);
  proxy["headers"] = {
      {"request", {{"set", {{"X-Rockpool-Client-Address", {"{http.request.remote.host}"}}}}}}};
  return json::array(
      {TerminalRoute(Expression(length + " != '' && int(" + length + ") > " + n),
                     json::array({TooLarge(limit)})),
       {{"handle", json::array({{{"handler", "request_body"}, {"max_size", limit + 1}}})}},
       TerminalRoute(Expression("size(bytes({http.request.body})) > " + n),
                     json::array({TooLarge(limit)})),
       {{"handle", json::array({{{"handler", "vars"}, {"rp_stage", "api"}}, proxy})}}});
}

}  // namespace

// Deferred: applied when the answer is written, over what an upstream sent. The CSP
// frame-ancestors is added only to answers without a CSP of their own, so a stricter policy
// from the control plane stays (X-Frame-Options covers framing either way).
json SecurityHeadersRoute(Site site) {
  json always = {{"set", SecurityHeaders(site)}, {"deferred", true}};
  json handlers = json::array({{{"handler", "headers"}, {"response", always}}});
  if (site == Site::kControl) {
    json without_csp = {{"headers", {{"Content-Security-Policy", nullptr}}}};
    json csp = {{"set", {{"Content-Security-Policy", {"frame-ancestors 'none'"}}}},
                {"deferred", true},
                {"require", without_csp}};
    handlers.push_back({{"handler", "headers"}, {"response", csp}});
  }
  return {{"handle", std::move(handlers)}};
}

json ErrorSecurityHeadersRoute(Site site) {
  json set = SecurityHeaders(site);
  if (site == Site::kControl) set["Content-Security-Policy"] = {"frame-ancestors 'none'"};
  return {{"handle", json::array({{{"handler", "headers"}, {"response", {{"set", set}}}}})}};
}

json PathGuardRoute() {
  json unclean = {
      {"vars_regexp",
       {{"{http.request.uri.path}", {{"name", "rp_guard"}, {"pattern", kUncleanPath}}}}}};
  json not_found = NotFoundRoute();
  return TerminalRoute(std::move(unclean), not_found["handle"]);
}

json ApiRoute(const ProxyConfig& config) {
  json handler = config.control_plane_upstreams.empty()
                     ? ApiUnavailable(503)
                     : json{{"handler", "subroute"}, {"routes", ApiProxyRoutes(config)}};
  return TerminalRoute(PathMatcher({"/api/*"}), json::array({std::move(handler)}));
}

json ApiDownErrorRoute() {
  json match = {{"vars", {{"rp_stage", {"api"}}}},
                {"expression", "{http.error.status_code} >= 500"}};
  return {{"match", json::array({match})}, {"handle", json::array({ApiUnavailable(503)})}};
}

}  // namespace rockpool::caddy
