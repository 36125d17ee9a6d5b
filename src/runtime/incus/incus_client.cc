#include "runtime/incus/incus_client.h"

#include <cstdio>

#include "http/curl_client.h"
#include "runtime/incus/operations.h"

namespace rockpool::incus {
namespace {

Status DaemonError(int http_status, const std::string& message) {
  return {CodeForHttpStatus(http_status), std::to_string(http_status) + " " + message};
}

// The daemon's message from an error envelope, or the raw body when it is not JSON.
Status ErrorFromBody(const HttpResponse& response) {
  Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object() && body.value("type", "") == "error") {
    int code = body.value("error_code", response.status);
    return DaemonError(code != 0 ? code : response.status, body.value("error", "unknown error"));
  }
  std::string text = response.body.substr(0, 200);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return DaemonError(response.status, text.empty() ? "empty answer" : text);
}

}  // namespace

Code CodeForHttpStatus(int status) {
  switch (status) {
    case 400:
      return Code::kInvalidArgument;
    case 404:
      return Code::kNotFound;
    case 409:
    case 412:
      return Code::kConflict;
    case 503:
      return Code::kUnavailable;
    default:
      return Code::kInternal;
  }
}

IncusClient::IncusClient(std::string socket_path, ClientFactory factory, std::string project)
    : socket_path_(std::move(socket_path)),
      factory_(std::move(factory)),
      project_(std::move(project)) {}

std::shared_ptr<IncusClient> IncusClient::ForSocket(const std::string& socket_path,
                                                    const std::string& project) {
  return std::make_shared<IncusClient>(
      socket_path,
      [socket_path] {
        // LXD answers 400 to a Host header that is the socket path.
        return std::make_unique<CurlHttpClient>(HttpEndpoint::Unix(socket_path, "lxd"));
      },
      project);
}

std::shared_ptr<IncusClient> IncusClient::InProject(const std::string& project) const {
  return std::make_shared<IncusClient>(socket_path_, factory_, project);
}

std::string IncusClient::Scoped(const std::string& path) const {
  // The server's own endpoint and the project collection are the same in every project.
  if (project_.empty() || path == "/1.0" || path.rfind("/1.0/projects", 0) == 0 ||
      path.find("project=") != std::string::npos) {
    return path;
  }
  return path + (path.find('?') == std::string::npos ? "?" : "&") + "project=" + project_;
}

std::string IncusClient::DaemonName() const {
  std::lock_guard lock(mu_);
  if (server_) return *server_ == ServerKind::kIncus ? "Incus" : "LXD";
  return socket_path_.find("incus") != std::string::npos ? "Incus" : "LXD";
}

std::unique_ptr<HttpClient> IncusClient::Acquire() {
  std::lock_guard lock(mu_);
  if (idle_.empty()) return factory_();
  auto client = std::move(idle_.back());
  idle_.pop_back();
  return client;
}

void IncusClient::Release(std::unique_ptr<HttpClient> client) {
  std::lock_guard lock(mu_);
  if (idle_.size() < 8) idle_.push_back(std::move(client));
}

Result<HttpResponse> IncusClient::Send(const HttpRequest& request) {
  auto client = Acquire();
  auto response = client->Send(request);
  Release(std::move(client));
  if (response.ok()) return response;
  const Status& s = response.status();
  if (s.code() == Code::kDeadlineExceeded) return s;
  std::string daemon = DaemonName();
  return Status::Unavailable("cannot reach the " + daemon + " daemon at unix:" + socket_path_ +
                             " (" + s.message() + "); is the " + daemon +
                             " daemon running? start it with: rockpool up");
}

Result<HttpResponse> IncusClient::Fetch(const ApiRequest& request) {
  HttpRequest http;
  http.method = request.method;
  http.target = Scoped(request.path);
  http.headers = request.headers;
  http.timeout = request.timeout;
  http.body_file = request.body_file;
  http.response_file = request.response_file;
  if (request.raw_body) {
    http.body = *request.raw_body;
  } else if (request.body) {
    http.body = request.body->dump();
    http.headers.emplace_back("Content-Type", "application/json");
  }
  RP_ASSIGN_OR_RETURN(HttpResponse response, Send(http));
  if (response.status < 200 || response.status >= 300) return ErrorFromBody(response);
  return response;
}

Result<ApiResponse> IncusClient::Call(const ApiRequest& request) {
  RP_ASSIGN_OR_RETURN(HttpResponse http, Fetch(request));
  Json body = Json::parse(http.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) {
    return Status::Internal(std::to_string(http.status) +
                            " answer is not JSON: " + http.body.substr(0, 200));
  }
  if (body.value("type", "") == "error") return ErrorFromBody(http);
  ApiResponse out;
  out.http_status = http.status;
  out.etag = http.Header("ETag");
  out.metadata = body.contains("metadata") ? body["metadata"] : Json();
  if (body.value("type", "") == "async") out.operation = body.value("operation", "");
  return out;
}

Result<Json> IncusClient::CallAndWait(const ApiRequest& request,
                                      std::chrono::seconds wait_timeout) {
  RP_ASSIGN_OR_RETURN(ApiResponse response, Call(request));
  if (response.operation.empty()) return response.metadata;
  return WaitOperation(*this, response.operation, wait_timeout);
}

Result<ServerKind> IncusClient::Server() {
  {
    std::lock_guard lock(mu_);
    if (server_) return *server_;
  }
  RP_ASSIGN_OR_RETURN(ApiResponse response, Call({.path = "/1.0"}));
  std::string server = "lxd";
  const Json& env =
      response.metadata.is_object() ? response.metadata.value("environment", Json()) : Json();
  if (env.is_object()) server = env.value("server", "lxd");
  ServerKind kind = server == "incus" ? ServerKind::kIncus : ServerKind::kLxd;
  std::lock_guard lock(mu_);
  server_ = kind;
  return kind;
}

Result<std::string> IncusClient::HeaderPrefix() {
  RP_ASSIGN_OR_RETURN(ServerKind kind, Server());
  return std::string(kind == ServerKind::kIncus ? "X-Incus-" : "X-LXD-");
}

}  // namespace rockpool::incus
