// HttpClient: the transport interface every adapter (runtime, proxy, health checks) talks
// through, so adapters are unit-tested on recorded responses (FakeHttpClient) and run for real
// over libcurl (CurlHttpClient), on TCP or on a unix socket.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace rockpool {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string target;  // path and query, e.g. "/1.0/instances?recursion=1"
  Headers headers;
  std::string body;
  std::string body_file;  // when set, the body is streamed from this file instead
  // When set, a 2xx answer's body is streamed into this file (created 0600, truncated) and
  // HttpResponse::body stays empty; other answers' bodies still land in `body` for errors.
  std::string response_file;
  std::chrono::milliseconds timeout{30'000};
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;

  // Case-insensitive lookup; empty when absent.
  std::string Header(std::string_view name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends one request. A transport failure (refused, timed out) is a non-ok Status whose
  // message names the endpoint; any HTTP status, including 4xx/5xx, is a response.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
  // Where requests go, for error messages ("unix:/var/lib/lxd/unix.socket").
  virtual std::string Endpoint() const = 0;
};

}  // namespace rockpool
