// ApiServer: the REST control plane over HTTP/1.1 (Boost.Beast), serving api/openapi.yaml,
// and the proxy's forward-auth endpoint GET /internal/authorize.
//
// Listener: a unix socket when ApiOptions::unix_socket is set (what `rockpool serve` uses:
// mode 0600 in a 0700 folder, and only peers with uid `unix_socket_peer_uid` (root) are
// served, checked with SO_PEERCRED), else TCP (tests and benchmarks, port 0).
//
// Every request passes the RequestGate (authentication, throttling, request budget, the
// cross-site rule; see security_gate.h) before its handler. Every answer carries
// `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` and
// `Cache-Control: no-store`.
//
// Bodies: at most `body_limit` bytes; a larger one (declared or streamed) is answered 413,
// after which up to `oversize_drain_limit` bytes the client is still sending are read and
// dropped, so it reads the 413 instead of a reset connection.
//
// Threading: `threads` threads run one io_context; each connection is a coroutine on its own
// strand. Handlers run on those threads: service calls are short SQLite transactions (well
// under a millisecond; the slow work happens in jobs), so a hand-off to a second pool would
// cost more than it saves. Password hashes never run there (the Authenticator's own thread).
//
// Shutdown (Stop(), or SIGINT/SIGTERM when handle_signals): stop accepting, close idle
// connections, let in-flight requests finish and answer with `Connection: close`; Run()
// returns when the last connection is gone, so the caller can then stop its worker.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/metrics.h"
#include "api/request_gate.h"
#include "core/status.h"
#include "service/origin_service.h"
#include "service/session_service.h"
#include "service/token_service.h"
#include "service/user_service.h"
#include "service/workspace_service.h"

namespace rockpool::api {

struct ApiOptions {
  std::string address = "127.0.0.1";  // TCP, when unix_socket is empty
  uint16_t port = 7163;               // 0: any free port (tests); see ApiServer::port()
  std::string unix_socket;            // e.g. <state>/control.sock; set: listen there, not TCP
  // A second root-only unix socket (e.g. <state>/local.sock) for this host's own tools, such as
  // the CLI run as root: its callers are root, so its API requests skip the RequestGate.
  // The proxy never dials it. Empty: none.
  std::string local_socket;
  uid_t unix_socket_peer_uid = 0;  // the only peer uid served on the unix socket
  int threads = 0;                 // 0: one per core
  std::string openapi_path;        // empty: the copy of api/openapi.yaml compiled into the binary
  size_t body_limit = 64 * 1024;   // larger bodies get 413
  size_t oversize_drain_limit = size_t{16} << 20;  // read and dropped after a 413
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds request_timeout{30};
  bool handle_signals = false;                // SIGINT/SIGTERM call Stop()
  size_t list_cache_bytes = size_t{4} << 20;  // encoded list pages kept; 0: none
  // Dev mode only (`rockpool serve --dev`, where no proxy runs): the built dashboard, served at
  // /app behind the same gate (dashboard_files.h). Empty: none, the proxy serves it.
  std::string dashboard_dir;
  // Called with X-Forwarded-Uri for each forward-auth check the gate allowed (a request or
  // WebSocket upgrade the proxy is about to pass on), e.g. to record workspace activity. Runs on
  // the server's threads: must be cheap and thread-safe. Empty: none.
  std::function<void(std::string_view forwarded_uri)> on_forward_authorized;
  // The API tokens of /api/tokens; must outlive the server. Null: those operations answer 501.
  TokenService* tokens = nullptr;
  // The accounts of /api/users; must outlive the server. Null: those operations answer 501.
  UserService* users = nullptr;
  // The browser sessions of /api/session; must outlive the server. Null: those operations
  // answer 501. (The gate verifies sessions; this is where they start and end.)
  SessionService* sessions = nullptr;
  // Port mode's workspace origins; must outlive the server. Null, or its range unset: workspaces
  // are served on their paths of the workspace port.
  OriginService* origins = nullptr;
  // The dashboard's port, where a browser refused on another port (the workspaces') is sent to
  // sign in (api/sign_in.h). 0: the dashboard is on this server's own origin (dev mode).
  int sign_in_port = 0;
};

class ApiServer {
 public:
  // `service`, `metrics` and `gate` must outlive the server.
  ApiServer(ApiOptions options, WorkspaceService& service, Metrics& metrics, RequestGate& gate);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Loads the contract and binds the listening socket.
  Status Listen();
  // The bound TCP port (0 on a unix socket). REQUIRES: Listen() succeeded.
  int port() const;
  // Where it listens, for logs: "http://127.0.0.1:7163" or "unix:/var/lib/rockpool/control.sock".
  std::string endpoint() const;
  // Serves until Stop() and the drain finish. REQUIRES: Listen() succeeded.
  void Run();
  // Thread-safe and idempotent; returns at once (Run() returns when drained).
  void Stop();

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace rockpool::api
