// Turns a raw request (target, content type, body) into validated, typed inputs for one
// contract operation: path and query parameters coerced to their schema types, defaults
// applied, the JSON body parsed and checked. Failures are ApiErrors ready to send.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "api/api_error.h"
#include "api/contract.h"

namespace rockpool::api {

struct ValidatedCall {
  const Operation* operation = nullptr;
  nlohmann::json path = nlohmann::json::object();   // e.g. {"id": "demo", "port": 3000}
  nlohmann::json query = nlohmann::json::object();  // e.g. {"limit": 25}
  nlohmann::json body;                              // null when the operation takes none
};

struct SplitTarget {
  std::string path;
  std::string query;  // without '?'
};
SplitTarget SplitRequestTarget(std::string_view target);

// Decodes %XX and (in queries) '+'; false when an escape is malformed.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

// REQUIRES: match.operation != nullptr.
std::variant<ValidatedCall, ApiError> ValidateRequest(const RouteMatch& match,
                                                      std::string_view query,
                                                      std::string_view content_type,
                                                      std::string_view body);

}  // namespace rockpool::api
