// RequestGate: what the server asks before it lets a request reach its handler (or, for the
// proxy's forward-auth subrequest GET /internal/authorize, before it answers 204). The one
// production implementation is SecurityGate (security_gate.h); `rockpool serve` must wire it.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "api/api_error.h"

namespace rockpool::api {

// What the gate looks at, taken from the request's line and headers.
struct GateRequest {
  std::string method;
  std::string path;    // without the query
  std::string client;  // X-Rockpool-Client-Address (set by the proxy), or "local"
  std::string authorization;
  std::string session;  // the session cookie's value (auth/session_cookie.h); empty when absent
  // For the cross-site check.
  std::string host;
  std::string forwarded_proto;  // X-Forwarded-Proto; empty when absent
  std::optional<std::string> origin;
  std::optional<std::string> sec_fetch_site;
  // Nonzero: the request reached the workspace origin on this port, and `session` holds that
  // origin's cookie, not the dashboard's session (auth::AuthRequest::origin_port).
  int origin_port = 0;
  std::string sec_fetch_mode;  // empty when absent
  std::string sec_fetch_dest;  // empty when absent
  std::string content_type;
  bool has_rockpool_request_header = false;  // X-Rockpool-Request, any value
};

inline constexpr char kForwardAuthPath[] = "/internal/authorize";

// Whom a request that passed the gate acts for.
struct Principal {
  std::string username;    // the account; empty when the request needed none (GET /api/health)
  std::string token_id;    // set when an API token signed the request in
  std::string session_id;  // set when a browser session signed it in
  std::string binding;     // signed in by the password: auth::PasswordBinding of its hash
  bool local = false;      // root on this host's local socket (past the gate)
  bool admin = false;      // an admin (core/user.h); root on the local socket is one

  // Signed in with the account's password in this very request (not a token or a session).
  bool by_password() const { return !local && token_id.empty() && session_id.empty(); }
};

struct GateAnswer {
  std::optional<ApiError> refusal;  // nullopt: the request may proceed
  Principal principal;              // when it may
};

class RequestGate {
 public:
  // The answer: a refusal to send instead, or whom the request acts for.
  using Done = std::function<void(GateAnswer)>;

  virtual ~RequestGate() = default;
  // Calls `done` exactly once, on this thread or (after slow work such as a password hash)
  // on another one. Thread-safe.
  virtual void Check(const GateRequest& request, Done done) = 0;
};

}  // namespace rockpool::api
