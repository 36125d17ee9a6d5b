// TestServer: an ApiServer on 127.0.0.1, port 0, running on its own thread, for tests and
// benchmarks; a CurlHttpClient pointed at it sends requests.
#pragma once

#include <memory>
#include <stdexcept>
#include <thread>

#include "api/server.h"
#include "http/curl_client.h"

namespace rockpool::api {

class TestServer {
 public:
  explicit TestServer(WorkspaceService& service, ApiOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    if (options.threads == 0) options.threads = 2;
    server_ = std::make_unique<ApiServer>(options, service, metrics_);
    Status s = server_->Listen();
    if (!s.ok()) throw std::runtime_error(s.ToString());
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~TestServer() { Shutdown(); }

  // Stops the server and waits for Run() to return.
  void Shutdown() {
    if (!thread_.joinable()) return;
    server_->Stop();
    thread_.join();
  }
  int port() const { return server_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  Metrics& metrics() { return metrics_; }
  std::unique_ptr<CurlHttpClient> NewClient() const {
    return std::make_unique<CurlHttpClient>(HttpEndpoint::Tcp(url()));
  }

 private:
  Metrics metrics_;
  std::unique_ptr<ApiServer> server_;
  std::thread thread_;
};

// A JSON request with the right content type.
inline HttpRequest JsonRequest(std::string method, std::string target, std::string body) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  r.headers = {{"Content-Type", "application/json"}};
  return r;
}

inline HttpRequest Request(std::string method, std::string target) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  return r;
}

}  // namespace rockpool::api
