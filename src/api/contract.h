// Contract: api/openapi.yaml loaded into memory, with $refs resolved, as the table of
// operations the server routes and validates by, and the tests check responses against.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace rockpool::api {

struct Parameter {
  std::string name;
  std::string in;  // "path" or "query"
  bool required = false;
  nlohmann::json schema;
};

struct Operation {
  std::string id;             // operationId, e.g. "createWorkspace"
  std::string method;         // "GET", "POST", ...
  std::string path_template;  // "/api/workspaces/{id}"
  std::vector<Parameter> parameters;
  std::optional<nlohmann::json> body_schema;  // set when the operation takes a JSON body
  // Response schema per status code; null when that response has no JSON body.
  std::map<int, nlohmann::json> responses;
};

struct RouteMatch {
  const Operation* operation = nullptr;            // null: no operation for this method
  std::string path_template;                       // empty: no path matched at all
  std::map<std::string, std::string> path_params;  // raw (still percent-encoded) segments
  std::vector<std::string> allowed_methods;        // for 405's Allow header
};

class Contract {
 public:
  // Parses an OpenAPI 3.0 document; InvalidArgument names what is malformed.
  static Result<Contract> Parse(std::string_view yaml_text, std::string_view source);
  static Result<Contract> Load(const std::string& path);
  // The copy of api/openapi.yaml compiled into the binary.
  static Result<Contract> Embedded();

  // Matches a request path (without query) against the paths of the document.
  RouteMatch Match(std::string_view method, std::string_view path) const;
  const Operation* FindOperation(std::string_view operation_id) const;
  const std::vector<Operation>& operations() const { return operations_; }
  // A component schema by name ("Error", "Workspace"), refs resolved; null when absent.
  const nlohmann::json& Schema(std::string_view name) const;

 private:
  nlohmann::json document_;  // refs resolved
  std::vector<Operation> operations_;
};

}  // namespace rockpool::api
