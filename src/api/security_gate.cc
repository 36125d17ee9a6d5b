#include "api/security_gate.h"

#include <cstdio>

#include "api/csrf.h"

namespace rockpool::api {
namespace {

bool IsApi(const std::string& path) { return path == "/api" || path.starts_with("/api/"); }

std::string Rate(double per_second) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", per_second);
  return buf;
}

}  // namespace

SecurityGate::SecurityGate(auth::CredentialSource& credentials, SecurityOptions options,
                           const auth::MonotonicClock& clock, auth::TokenVerifier* tokens,
                           auth::AccountDirectory* accounts, auth::SessionVerifier* sessions)
    : options_(options),
      budget_(options.budget, clock),
      authenticator_(credentials, options.auth, clock, tokens, accounts, sessions) {}

void SecurityGate::Check(const GateRequest& request, Done done) {
  if (request.path == kForwardAuthPath) return Authenticate(request, std::move(done));
  if (IsApi(request.path)) {
    if (auto wait = budget_.Spend(request.client)) {
      return done({ApiError::RateLimited(
                       "the API request budget of " + request.client + " is spent (" +
                           Rate(options_.budget.requests_per_second) +
                           " requests a second, bursts of " + Rate(options_.budget.burst) +
                           "); retry in " + std::to_string(wait->count()) + " s",
                       *wait),
                   {}});
    }
    if (request.method == "GET" && request.path == "/api/health") return done({});
    if (auto refusal = CrossSiteRefusal(request)) {
      return done({ApiError::Forbidden(std::move(*refusal)), {}});
    }
  }
  Authenticate(request, std::move(done));
}

void SecurityGate::Authenticate(const GateRequest& request, Done done) {
  authenticator_.Authenticate(
      {request.authorization, request.client, request.session, request.origin_port},
      [done = std::move(done)](auth::AuthDecision d) {
        if (!d.allowed()) return done({ApiError::FromAuthDecision(d), {}});
        Principal p;
        p.username = std::move(d.username);
        p.token_id = std::move(d.token_id);
        p.session_id = std::move(d.session_id);
        p.binding = std::move(d.binding);
        p.admin = d.admin;
        done({std::nullopt, std::move(p)});
      });
}

}  // namespace rockpool::api
