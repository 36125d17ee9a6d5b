// SecurityGate: the checks every request to the control plane passes, cheapest first.
//
//   /api/*                    request budget of the client address (429 + Retry-After), then
//                             GET /api/health passes; state-changing requests must pass the
//                             cross-site rule (403, csrf.h); then authentication (below).
//   GET /internal/authorize   authentication only (the proxy's forward auth for /app and
//                             /workspace, whose pages and WebSockets must not spend the API's
//                             budget).
//   anything else             authentication (then the handler answers 404).
//
// Authentication is the Authenticator's (a password, an API token as a Bearer header, or a
// browser session's cookie): 401 with a Bearer challenge, 429 + Retry-After for a
// throttled address, 503 when the credentials cannot be read. There is no way to switch it
// off: the server needs a gate, and this is the only one outside tests and benchmarks.
#pragma once

#include "api/request_gate.h"
#include "auth/authenticator.h"
#include "auth/credential_source.h"
#include "auth/request_budget.h"

namespace rockpool::api {

struct SecurityOptions {
  auth::AuthenticatorOptions auth;  // verified-credential cache, sign-in throttle, bcrypt threads
  auth::BudgetOptions budget;       // per-client request budget of /api
};

class SecurityGate final : public RequestGate {
 public:
  // `credentials`, `clock`, `tokens`, `accounts` and `sessions` must outlive the gate; `tokens`
  // null: no API tokens; `accounts` null: the deployment's account is the only one; `sessions`
  // null: no browser sessions.
  explicit SecurityGate(auth::CredentialSource& credentials, SecurityOptions options = {},
                        const auth::MonotonicClock& clock = auth::SteadyClock::Instance(),
                        auth::TokenVerifier* tokens = nullptr,
                        auth::AccountDirectory* accounts = nullptr,
                        auth::SessionVerifier* sessions = nullptr);

  void Check(const GateRequest& request, Done done) override;

  auth::Authenticator& authenticator() { return authenticator_; }
  const SecurityOptions& options() const { return options_; }

 private:
  void Authenticate(const GateRequest& request, Done done);

  const SecurityOptions options_;
  auth::RequestBudget budget_;
  auth::Authenticator authenticator_;
};

}  // namespace rockpool::api
