// A validator for the subset of JSON Schema (OpenAPI 3.0 flavour) that api/openapi.yaml uses:
// type, nullable, enum, properties, required, additionalProperties, items, pattern,
// minimum/maximum, minLength/maxLength, and format uuid/date-time (checked loosely).
// $refs must already be resolved (Contract does that when it loads the file).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace rockpool::api {

// The pattern of a workspace name; values failing it get ValidateWorkspaceName's message.
inline constexpr std::string_view kWorkspaceNamePattern = "^[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])$";

// Checks `value` against `schema`. `where` names the value in messages ("body", "query.limit").
// Returns InvalidArgument naming the first offending location, what was wrong and the rule.
Status ValidateAgainstSchema(const nlohmann::json& schema, const nlohmann::json& value,
                             const std::string& where);

// Quotes a JSON value for a message, shortened to a readable length.
std::string DescribeValue(const nlohmann::json& value);

}  // namespace rockpool::api
