// ApiError: the one place where a failure becomes an HTTP status, its headers and an error
// body {"error": {"code", "message"}} (or, for a browser sent here by the proxy's forward auth,
// a short HTML page). Service Statuses map by code; protocol failures the server detects
// itself (405, 413, 415) and refusals of the request gate (401, 403, 429) have named
// constructors.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "auth/authenticator.h"
#include "core/status.h"

namespace rockpool::api {

struct ApiError {
  int http_status = 500;
  std::string code;  // the contract's error code, e.g. "invalid_argument"
  std::string message;
  std::vector<std::pair<std::string, std::string>> headers;  // WWW-Authenticate, Retry-After

  // InvalidArgument -> 400, NotFound -> 404, AlreadyExists/Conflict -> 409,
  // TooLarge -> 409 (a count limit such as 5 ports; an oversized body is PayloadTooLarge),
  // OutOfRange -> 422 (a limit above the deployment's maximum),
  // Unavailable -> 503, DeadlineExceeded -> 504, Internal (and anything else) -> 500.
  static ApiError FromStatus(const Status& status);
  static ApiError MethodNotAllowed(std::string message) {
    return {405, "method_not_allowed", std::move(message), {}};
  }
  static ApiError PayloadTooLarge(std::string message) {
    return {413, "too_large", std::move(message), {}};
  }
  static ApiError UnsupportedMediaType(std::string message) {
    return {415, "unsupported_media_type", std::move(message), {}};
  }
  // 401 with the challenge `WWW-Authenticate: Bearer realm="Rockpool"`: never Basic, so a
  // browser shows no password dialog of its own (it signs in at /app/login). Basic headers
  // that scripts send are still accepted.
  static ApiError Unauthenticated(std::string message);
  // 403: the request was understood and is refused whoever sends it (a cross-site request).
  static ApiError Forbidden(std::string message) {
    return {403, "forbidden", std::move(message), {}};
  }
  // 429 with `Retry-After: <seconds>`.
  static ApiError RateLimited(std::string message, std::chrono::seconds retry_after);
  // A refused sign-in: 401 (no or wrong credentials), 429 (throttled), 503 (no credentials to
  // check against, or too many checks at once), each saying what to do.
  // REQUIRES: !decision.allowed().
  static ApiError FromAuthDecision(const auth::AuthDecision& decision);

  // The JSON body of the response.
  std::string Body() const;
  // A short HTML page with the same message, for browser navigations (forward auth).
  std::string Page() const;
};

}  // namespace rockpool::api
