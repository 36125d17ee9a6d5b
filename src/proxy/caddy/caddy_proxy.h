// CaddyProxy: Proxy over Caddy's admin API. Bootstrap is one POST /load (Caddy swaps the whole
// config atomically); IsBootstrapped asks for the marker @id the config carries.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/client.h"
#include "http/curl_client.h"
#include "proxy/caddy/caddy_config.h"
#include "proxy/proxy.h"

namespace rockpool {

// Where an HTTP client reaches the admin endpoint listening on `admin_address`:
// "unix//run/x/admin.sock" (Caddy's form for a unix socket) or "host:port".
HttpEndpoint CaddyAdminEndpoint(std::string_view admin_address);

class CaddyProxy final : public Proxy {
 public:
  // `admin` sends to Caddy's admin endpoint, which listens on `admin_address`, "unix/<path>"
  // or "host:port" (see CaddyAdminEndpoint). Caddy checks the Host header: on a unix socket
  // 2.6 accepts only an empty one (and ignores Origin), on TCP the listen address, sent with
  // a matching Origin. `admin` must outlive this object.
  explicit CaddyProxy(HttpClient& admin,
                      std::string admin_address = std::string(kDefaultCaddyAdminAddress));

  Status Bootstrap(const ProxyConfig& config) override;
  Result<bool> IsBootstrapped(const ProxyConfig& config) override;
  Status Ping() override;

  // The config Caddy runs now (null when it has none).
  Result<nlohmann::json> RunningConfig();

  const std::string& admin_address() const { return admin_address_; }

 private:
  // Sends one admin request; a transport failure becomes Unavailable naming `operation`.
  Result<HttpResponse> Call(std::string_view operation, std::string method, std::string target,
                            std::string body = "");
  Status ErrorFrom(std::string_view operation, const HttpResponse& response) const;

  HttpClient& admin_;
  std::string admin_address_;
};

}  // namespace rockpool
