#include "proxy/caddy/caddy_config.h"

#include <cstdint>
#include <cstdio>

#include "proxy/caddy/caddy_routes.h"

namespace rockpool {
namespace {

using nlohmann::json;

// FNV-1a, 64 bits: a change detector for our own document, not a security measure.
std::string Digest(const std::string& text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// Port mode is off only when both ends are 0: a range set by half reaches Caddy, which refuses
// it, rather than being dropped without a word.
bool PortMode(const ProxyConfig& config) {
  return config.origin_first_port != 0 || config.origin_last_port != 0;
}

json Unmarked(const ProxyConfig& config, std::string_view admin_listen) {
  json servers = {{"workspaces", caddy::WorkspaceServer(config)},
                  {"control", caddy::ControlServer(config)}};
  if (PortMode(config)) servers["origins"] = caddy::OriginServer(config);
  return {// persist off: after a restart Caddy comes up empty, so IsBootstrapped sees it.
          {"admin", {{"listen", admin_listen}, {"config", {{"persist", false}}}}},
          {"apps", {{"http", {{"servers", std::move(servers)}}}}}};
}

json& MarkedRoute(json& doc) {
  return doc["apps"]["http"]["servers"]["workspaces"]["routes"].back();
}

}  // namespace

std::string BootstrapMarkerId(const ProxyConfig& config, std::string_view admin_listen) {
  return "rockpool-config-" + Digest(Unmarked(config, admin_listen).dump());
}

nlohmann::json BuildBootstrapConfig(const ProxyConfig& config, std::string_view admin_listen) {
  json doc = Unmarked(config, admin_listen);
  MarkedRoute(doc)["@id"] = "rockpool-config-" + Digest(doc.dump());
  return doc;
}

}  // namespace rockpool
