#pragma once

#include <memory>
#include <string>

#include "http/client.h"

namespace rockpool {

// Where a CurlHttpClient sends requests: a base URL ("http://127.0.0.1:2019"), optionally
// through a unix socket (then the URL's host only fills the Host header).
struct HttpEndpoint {
  std::string base_url;
  std::string unix_socket;    // empty for TCP
  std::string local_address;  // TCP: the source address to send from ("127.0.0.2"); empty: any

  static HttpEndpoint Tcp(std::string base_url) { return {std::move(base_url), ""}; }
  static HttpEndpoint Unix(std::string socket_path, std::string host = "localhost") {
    return {"http://" + host, std::move(socket_path)};
  }
};

// Thread-compatible: one CURL handle, reused across calls (keep-alive); guard externally or
// use one client per thread.
class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(HttpEndpoint endpoint, Headers default_headers = {});
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;
  std::string Endpoint() const override;

 private:
  HttpEndpoint endpoint_;
  Headers default_headers_;
  void* curl_ = nullptr;  // CURL*
};

}  // namespace rockpool
