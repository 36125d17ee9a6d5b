// IncusClient: the Incus/LXD REST API over the daemon's unix socket. Sends requests, decodes the
// JSON envelope, turns {"type":"error",...} answers and failed operations into Status values, and
// waits for async operations. Resource calls (instances.h, exec.h, files.h, images.h, ...) are
// free functions on top of it, one file per API resource.
// Thread-safe: every request borrows its own HttpClient from a small pool.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "http/client.h"
#include "http/encoding.h"

namespace rockpool::incus {

using Json = nlohmann::json;
using ClientFactory = std::function<std::unique_ptr<HttpClient>()>;

enum class ServerKind { kLxd, kIncus };

// A decoded sync or async answer.
struct ApiResponse {
  int http_status = 0;
  std::string etag;
  Json metadata;
  std::string operation;  // "/1.0/operations/<id>" for async answers, else empty
};

// One API request. `body` is sent as JSON unless `raw_body`/`body_file` is set.
struct ApiRequest {
  std::string method = "GET";
  std::string path;
  std::optional<Json> body;
  std::optional<std::string> raw_body;
  std::string body_file;
  std::string response_file;  // Fetch: a 2xx body is streamed into this file, not memory
  Headers headers;
  std::chrono::milliseconds timeout{30'000};
};

class IncusClient {
 public:
  // `socket_path` only names the daemon in messages; `factory` makes the transports.
  // `project`: the LXD project every request acts in (`?project=`); empty: the daemon's
  // default project.
  IncusClient(std::string socket_path, ClientFactory factory, std::string project = "");
  // A client on the real daemon socket through libcurl.
  static std::shared_ptr<IncusClient> ForSocket(const std::string& socket_path,
                                                const std::string& project = "");

  // Sends a request and decodes the JSON envelope; an error envelope or a non-2xx answer
  // becomes a Status carrying the daemon's message ("404 Instance not found").
  Result<ApiResponse> Call(const ApiRequest& request);
  // Sends a request and returns the raw answer (log downloads); non-2xx is still an error.
  Result<HttpResponse> Fetch(const ApiRequest& request);
  // Call, then waits for the operation it started (if any); returns the operation object.
  Result<Json> CallAndWait(const ApiRequest& request, std::chrono::seconds wait_timeout);

  // Which daemon answers (GET /1.0, asked once).
  Result<ServerKind> Server();
  // "X-LXD-" or "X-Incus-" for the files and images headers.
  Result<std::string> HeaderPrefix();
  // "LXD" or "Incus" for messages, guessed from the socket path before the server answered.
  std::string DaemonName() const;
  const std::string& socket_path() const { return socket_path_; }
  const std::string& project() const { return project_; }
  // A client on the same daemon acting in `project` ("" for the default project).
  std::shared_ptr<IncusClient> InProject(const std::string& project) const;
  // `path` with this client's project added to its query (unchanged without a project).
  std::string Scoped(const std::string& path) const;

 private:
  Result<HttpResponse> Send(const HttpRequest& request);
  std::unique_ptr<HttpClient> Acquire();
  void Release(std::unique_ptr<HttpClient> client);

  std::string socket_path_;
  ClientFactory factory_;
  std::string project_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<HttpClient>> idle_;  // GUARDED_BY(mu_)
  std::optional<ServerKind> server_;               // GUARDED_BY(mu_)
};

// Maps an HTTP/daemon error code to a Status code.
Code CodeForHttpStatus(int status);

}  // namespace rockpool::incus
