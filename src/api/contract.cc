#include "api/contract.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "api/embedded_openapi.h"

namespace rockpool::api {
namespace {

using nlohmann::json;

// Plain (unquoted) YAML scalars carry their type in their spelling; quoted ones are strings.
json ScalarToJson(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() != "?") return s;
  if (s == "true" || s == "True") return true;
  if (s == "false" || s == "False") return false;
  if (s == "null" || s == "~" || s.empty()) return nullptr;
  char* end = nullptr;
  long long i = std::strtoll(s.c_str(), &end, 10);
  if (end != s.c_str() && *end == '\0') return i;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() && *end == '\0') return d;
  return s;
}

json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) out[kv.first.Scalar()] = YamlToJson(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(YamlToJson(item));
      return out;
    }
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    default:
      return nullptr;
  }
}

// Replaces every {"$ref": "#/a/b"} with a copy of its target; the contract has no cycles, and
// the depth bound turns an accidental one into an error instead of a crash.
Status ResolveRefs(json& node, const json& root, int depth) {
  if (depth > 32) return Status::InvalidArgument("$ref nesting deeper than 32 (a cycle?)");
  if (node.is_object() && node.contains("$ref")) {
    const std::string ref = node["$ref"].get<std::string>();
    if (ref.rfind("#/", 0) != 0) return Status::InvalidArgument("unsupported $ref " + ref);
    const json::json_pointer ptr(ref.substr(1));
    if (!root.contains(ptr)) return Status::InvalidArgument("dangling $ref " + ref);
    node = root.at(ptr);
    return ResolveRefs(node, root, depth + 1);
  }
  if (node.is_structured()) {
    for (auto& child : node) RP_RETURN_IF_ERROR(ResolveRefs(child, root, depth + 1));
  }
  return Status::Ok();
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// Matches one path template; returns the number of literal segments (-1: no match).
int MatchTemplate(std::string_view tmpl, std::string_view path,
                  std::map<std::string, std::string>* params) {
  if (path.empty() || path[0] != '/') return -1;
  const auto t = Segments(tmpl), p = Segments(path);
  if (t.size() != p.size()) return -1;
  int literals = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].size() > 2 && t[i].front() == '{' && t[i].back() == '}') {
      if (p[i].empty()) return -1;
      (*params)[std::string(t[i].substr(1, t[i].size() - 2))] = std::string(p[i]);
    } else if (t[i] == p[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  return literals;
}

std::vector<Parameter> ParseParameters(const json& list) {
  std::vector<Parameter> out;
  for (const auto& p : list) {
    out.push_back(Parameter{p.value("name", ""), p.value("in", ""), p.value("required", false),
                            p.value("schema", json::object())});
  }
  return out;
}

Operation ParseOperation(const std::string& path, const std::string& method, const json& path_item,
                         const json& op) {
  Operation out{op.value("operationId", method + " " + path), method, path, {}, {}, {}};
  out.parameters = ParseParameters(path_item.value("parameters", json::array()));
  for (auto& p : ParseParameters(op.value("parameters", json::array()))) {
    out.parameters.push_back(std::move(p));
  }
  const json::json_pointer body_ptr("/requestBody/content/application~1json/schema");
  if (op.contains(body_ptr)) out.body_schema = op.at(body_ptr);
  const json responses = op.value("responses", json::object());
  for (const auto& [code, response] : responses.items()) {
    const json::json_pointer schema_ptr("/content/application~1json/schema");
    out.responses[std::stoi(code)] =
        response.contains(schema_ptr) ? response.at(schema_ptr) : json();
  }
  return out;
}

}  // namespace

Result<Contract> Contract::Parse(std::string_view yaml_text, std::string_view source) {
  Contract c;
  try {
    c.document_ = YamlToJson(YAML::Load(std::string(yaml_text)));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("parse OpenAPI document " + std::string(source) + ": " +
                                   e.what());
  }
  const json root = c.document_;
  Status resolved = ResolveRefs(c.document_, root, 0);
  if (!resolved.ok()) return resolved.WithContext("load OpenAPI document " + std::string(source));
  if (!c.document_.contains("paths") || !c.document_["paths"].is_object()) {
    return Status::InvalidArgument("OpenAPI document " + std::string(source) + " has no paths");
  }
  try {
    for (const auto& [path, item] : c.document_["paths"].items()) {
      for (const std::string m : {"get", "put", "post", "delete", "patch", "head", "options"}) {
        if (!item.contains(m)) continue;
        std::string upper = m;
        std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
        c.operations_.push_back(ParseOperation(path, upper, item, item[m]));
      }
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument("OpenAPI document " + std::string(source) +
                                   ": malformed operation: " + e.what());
  }
  return c;
}

Result<Contract> Contract::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("open OpenAPI document " + path + ": no such readable file");
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

Result<Contract> Contract::Embedded() { return Parse(EmbeddedOpenApiYaml(), "(embedded)"); }

RouteMatch Contract::Match(std::string_view method, std::string_view path) const {
  RouteMatch best;
  int best_literals = -1;
  for (const auto& op : operations_) {
    std::map<std::string, std::string> params;
    const int literals = MatchTemplate(op.path_template, path, &params);
    if (literals < 0 || literals < best_literals) continue;
    if (literals > best_literals) {
      best = RouteMatch{nullptr, op.path_template, std::move(params), {}};
      best_literals = literals;
    }
    if (op.path_template != best.path_template) continue;
    best.allowed_methods.push_back(op.method);
    if (op.method == method) best.operation = &op;
  }
  return best;
}

const Operation* Contract::FindOperation(std::string_view operation_id) const {
  for (const auto& op : operations_) {
    if (op.id == operation_id) return &op;
  }
  return nullptr;
}

const nlohmann::json& Contract::Schema(std::string_view name) const {
  static const json kNull;
  const json::json_pointer ptr("/components/schemas/" + std::string(name));
  return document_.contains(ptr) ? document_.at(ptr) : kNull;
}

}  // namespace rockpool::api
