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

// Non-terminal: on success the request goes on to the routes below. hash_cache keeps a
// request from paying the full bcrypt cost once the credentials have been seen.
json AuthRoute(const BasicAuth& auth, json matcher_set) {
  json account = {{"username", auth.username}, {"password", auth.bcrypt_hash}};
  json http_basic = {{"accounts", json::array({account})},
                     {"hash", {{"algorithm", "bcrypt"}}},
                     {"hash_cache", json::object()},
                     {"realm", "Rockpool"}};
  return {{"match", json::array({std::move(matcher_set)})},
          {"handle", json::array({{{"handler", "authentication"},
                                   {"providers", {{"http_basic", http_basic}}}}})}};
}

std::string HtmlPage(const std::string& title, const std::string& body_html) {
  return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + title +
         "</title></head>\n<body><h1>" + title + "</h1>\n" + body_html + "\n</body></html>\n";
}

json NotFoundRoute() {
  return {{"handle", json::array({StaticResponse(
                         404, "text/html; charset=utf-8",
                         HtmlPage("Not found", "<p>Nothing is served at this address.</p>"))})}};
}

}  // namespace rockpool::caddy
