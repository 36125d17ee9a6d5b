// ApiError: the one place where a failure becomes an HTTP status and an error body
// {"error": {"code", "message"}}. Service Statuses map by code; protocol failures the server
// detects itself (405, 413, 415) have named constructors.
#pragma once

#include <string>

#include "core/status.h"

namespace rockpool::api {

struct ApiError {
  int http_status = 500;
  std::string code;  // the contract's error code, e.g. "invalid_argument"
  std::string message;

  // InvalidArgument -> 400, NotFound -> 404, AlreadyExists/Conflict -> 409,
  // TooLarge -> 409 (a count limit such as 5 ports; an oversized body is PayloadTooLarge),
  // OutOfRange -> 422 (a limit above the deployment's maximum),
  // Unavailable -> 503, DeadlineExceeded -> 504, Internal (and anything else) -> 500.
  static ApiError FromStatus(const Status& status);
  static ApiError MethodNotAllowed(std::string message) {
    return {405, "method_not_allowed", std::move(message)};
  }
  static ApiError PayloadTooLarge(std::string message) {
    return {413, "too_large", std::move(message)};
  }
  static ApiError UnsupportedMediaType(std::string message) {
    return {415, "unsupported_media_type", std::move(message)};
  }

  // The JSON body of the response.
  std::string Body() const;
};

}  // namespace rockpool::api
