#include "proxy/caddy/caddy_proxy.h"

#include <utility>

namespace rockpool {
namespace {

// Caddy answers errors as {"error": "..."}; anything else is passed on as it came.
std::string CaddyMessage(const std::string& body) {
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_string()) {
    return parsed["error"].get<std::string>();
  }
  std::string trimmed = body.substr(0, 500);
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == ' ')) trimmed.pop_back();
  return trimmed;
}

bool IsUnixAddress(std::string_view address) { return address.rfind("unix/", 0) == 0; }

}  // namespace

HttpEndpoint CaddyAdminEndpoint(std::string_view admin_address) {
  if (IsUnixAddress(admin_address)) {
    return HttpEndpoint::Unix(std::string(admin_address.substr(std::string_view("unix/").size())));
  }
  return HttpEndpoint::Tcp("http://" + std::string(admin_address));
}

CaddyProxy::CaddyProxy(HttpClient& admin, std::string admin_address)
    : admin_(admin), admin_address_(std::move(admin_address)) {}

Result<HttpResponse> CaddyProxy::Call(std::string_view operation, std::string method,
                                      std::string target, std::string body) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  if (IsUnixAddress(admin_address_)) {
    request.headers = {{"Host", ""}};  // libcurl sends "Host: " with nothing after it
  } else {
    request.headers = {{"Origin", "http://" + admin_address_}, {"Host", admin_address_}};
  }
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.body = std::move(body);
  auto response = admin_.Send(request);
  if (!response.ok()) {
    return Status(response.status().code(), "caddy: " + std::string(operation) +
                                                ": the admin API at " + admin_address_ +
                                                " does not answer (" + response.status().message() +
                                                "); start Caddy with: rockpool up");
  }
  return response;
}

Status CaddyProxy::ErrorFrom(std::string_view operation, const HttpResponse& response) const {
  std::string message = "caddy: " + std::string(operation) + ": " +
                        std::to_string(response.status) + " " + CaddyMessage(response.body);
  if (response.status == 400) return Status::InvalidArgument(message);
  if (response.status == 404) return Status::NotFound(message);
  return Status::Internal(message);
}

Status CaddyProxy::Bootstrap(const ProxyConfig& config) {
  std::string doc = BuildBootstrapConfig(config, admin_address_).dump();
  RP_ASSIGN_OR_RETURN(HttpResponse response, Call("load config", "POST", "/load", doc));
  if (response.status != 200) return ErrorFrom("load config", response);
  return Status::Ok();
}

Result<bool> CaddyProxy::IsBootstrapped(const ProxyConfig& config) {
  std::string id = BootstrapMarkerId(config, admin_address_);
  RP_ASSIGN_OR_RETURN(HttpResponse response, Call("read config marker " + id, "GET", "/id/" + id));
  if (response.status == 200) return true;
  if (response.status == 404) return false;  // "unknown object ID": another or no config
  return ErrorFrom("read config marker " + id, response);
}

Status CaddyProxy::Ping() {
  RP_ASSIGN_OR_RETURN(HttpResponse response, Call("ping", "GET", "/config/admin"));
  if (response.status != 200) return ErrorFrom("ping", response);
  return Status::Ok();
}

Result<nlohmann::json> CaddyProxy::RunningConfig() {
  RP_ASSIGN_OR_RETURN(HttpResponse response, Call("read config", "GET", "/config/"));
  if (response.status != 200) return ErrorFrom("read config", response);
  auto parsed = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Status::Internal("caddy: read config: the answer is not JSON: " +
                            response.body.substr(0, 200));
  }
  return parsed;
}

}  // namespace rockpool
