// ApiServer: the REST control plane over HTTP/1.1 (Boost.Beast), serving api/openapi.yaml.
//
// Threading: `threads` threads run one io_context; each connection is a coroutine on its own
// strand. Handlers run on those threads: service calls are short SQLite transactions (well
// under a millisecond; the slow work happens in jobs), so a hand-off to a second pool would
// cost more than it saves. A slow call holds one of the threads, never the others.
//
// Shutdown (Stop(), or SIGINT/SIGTERM when handle_signals): stop accepting, close idle
// connections, let in-flight requests finish and answer with `Connection: close`; Run()
// returns when the last connection is gone, so the caller can then stop its worker.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/metrics.h"
#include "core/status.h"
#include "service/workspace_service.h"

namespace rockpool::api {

struct ApiOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 7163;           // 0: any free port (tests); see ApiServer::port()
  int threads = 0;                // 0: one per core
  std::string openapi_path;       // empty: the copy of api/openapi.yaml compiled into the binary
  size_t body_limit = 64 * 1024;  // larger bodies get 413
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds request_timeout{30};
  bool handle_signals = false;                // SIGINT/SIGTERM call Stop()
  size_t list_cache_bytes = size_t{4} << 20;  // encoded list pages kept; 0: none
};

class ApiServer {
 public:
  ApiServer(ApiOptions options, WorkspaceService& service, Metrics& metrics);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Loads the contract and binds the listening socket.
  Status Listen();
  // The bound port. REQUIRES: Listen() succeeded.
  int port() const;
  // Serves until Stop() and the drain finish. REQUIRES: Listen() succeeded.
  void Run();
  // Thread-safe and idempotent; returns at once (Run() returns when drained).
  void Stop();

 private:
  class Impl;
  friend class Session;  // a connection, in server.cc
  std::unique_ptr<Impl> impl_;
};

}  // namespace rockpool::api
