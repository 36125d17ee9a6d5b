#include "api/schema_validator.h"

#include <map>
#include <mutex>
#include <regex>

#include "core/names.h"

namespace rockpool::api {
namespace {

using nlohmann::json;

Status Invalid(const std::string& where, const std::string& what) {
  return Status::InvalidArgument(where + ": " + what);
}

// std::regex construction is slow; each contract pattern is compiled once.
const std::regex& CompiledPattern(const std::string& pattern) {
  static std::mutex mu;
  static std::map<std::string, std::regex> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(pattern);
  if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern)).first;
  return it->second;
}

std::string TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a number";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "an unsupported value";
  }
}

bool IsIntegral(const json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return d == static_cast<double>(static_cast<long long>(d));
}

bool HasType(const std::string& type, const json& v) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "integer") return IsIntegral(v);
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  return true;
}

std::string Article(const std::string& type) {
  return (type == "integer" || type == "object" || type == "array") ? "an " + type : "a " + type;
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Status CheckFormat(const std::string& format, const std::string& s, const std::string& where) {
  static const std::regex kUuid(
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  static const std::regex kDateTime(
      R"(^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$)");
  if (format == "uuid" && !std::regex_match(s, kUuid)) {
    return Invalid(where, DescribeValue(s) + " is not a UUID");
  }
  if (format == "date-time" && !std::regex_match(s, kDateTime)) {
    return Invalid(where, DescribeValue(s) + " is not an RFC 3339 date-time");
  }
  return Status::Ok();
}

Status CheckString(const json& schema, const std::string& s, const std::string& where) {
  if (schema.contains("pattern")) {
    const auto pattern = schema["pattern"].get<std::string>();
    if (!std::regex_search(s, CompiledPattern(pattern))) {
      if (pattern == kWorkspaceNamePattern) {
        Status named = ValidateWorkspaceName(s);
        if (!named.ok()) return Invalid(where, named.message());
      }
      std::string msg = DescribeValue(s) + " does not match " + pattern;
      if (schema.contains("description")) msg += "; " + schema["description"].get<std::string>();
      return Invalid(where, msg);
    }
  }
  const size_t len = CodePoints(s);
  if (schema.contains("minLength") && len < schema["minLength"].get<size_t>()) {
    return Invalid(where, DescribeValue(s) + " is too short; use at least " +
                              std::to_string(schema["minLength"].get<size_t>()) + " characters");
  }
  if (schema.contains("maxLength") && len > schema["maxLength"].get<size_t>()) {
    return Invalid(where, "is too long (" + std::to_string(len) + " characters); use at most " +
                              std::to_string(schema["maxLength"].get<size_t>()));
  }
  if (schema.contains("format")) return CheckFormat(schema["format"], s, where);
  return Status::Ok();
}

std::string Range(const json& schema) {
  if (schema.contains("minimum") && schema.contains("maximum")) {
    return "use a value from " + schema["minimum"].dump() + " to " + schema["maximum"].dump();
  }
  if (schema.contains("minimum")) return "use at least " + schema["minimum"].dump();
  return "use at most " + schema["maximum"].dump();
}

Status CheckNumber(const json& schema, const json& v, const std::string& where) {
  const double d = v.get<double>();
  if (schema.contains("minimum") && d < schema["minimum"].get<double>()) {
    return Invalid(where, v.dump() + " is out of range; " + Range(schema));
  }
  if (schema.contains("maximum") && d > schema["maximum"].get<double>()) {
    return Invalid(where, v.dump() + " is out of range; " + Range(schema));
  }
  return Status::Ok();
}

std::string FieldList(const json& properties) {
  std::string out;
  for (const auto& [key, _] : properties.items()) out += (out.empty() ? "" : ", ") + key;
  return out.empty() ? "none" : out;
}

Status CheckObject(const json& schema, const json& v, const std::string& where) {
  static const json kEmpty = json::object();
  const json& props = schema.contains("properties") ? schema["properties"] : kEmpty;
  if (schema.contains("required")) {
    for (const auto& name : schema["required"]) {
      if (!v.contains(name.get<std::string>())) {
        return Invalid(where, "missing required field \"" + name.get<std::string>() + "\"");
      }
    }
  }
  for (const auto& [key, value] : v.items()) {
    const std::string child = where + "." + key;
    if (props.contains(key)) {
      RP_RETURN_IF_ERROR(ValidateAgainstSchema(props[key], value, child));
      continue;
    }
    const json extra = schema.value("additionalProperties", json(true));
    if (extra.is_boolean() && !extra.get<bool>()) {
      return Invalid(
          where, "unknown field " + DescribeValue(key) + "; allowed fields: " + FieldList(props));
    }
    if (extra.is_object()) RP_RETURN_IF_ERROR(ValidateAgainstSchema(extra, value, child));
  }
  return Status::Ok();
}

Status CheckArray(const json& schema, const json& v, const std::string& where) {
  if (!schema.contains("items")) return Status::Ok();
  for (size_t i = 0; i < v.size(); ++i) {
    RP_RETURN_IF_ERROR(
        ValidateAgainstSchema(schema["items"], v[i], where + "[" + std::to_string(i) + "]"));
  }
  return Status::Ok();
}

}  // namespace

std::string DescribeValue(const json& value) {
  std::string s = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

Status ValidateAgainstSchema(const json& schema, const json& value, const std::string& where) {
  if (value.is_null()) {
    if (schema.value("nullable", false) || !schema.contains("type")) return Status::Ok();
    return Invalid(where,
                   "must not be null; expected " + Article(schema["type"].get<std::string>()));
  }
  if (schema.contains("type")) {
    const auto type = schema["type"].get<std::string>();
    if (!HasType(type, value)) {
      return Invalid(where, "expected " + Article(type) + ", got " + TypeName(value) + " (" +
                                DescribeValue(value) + ")");
    }
  }
  if (schema.contains("enum")) {
    bool found = false;
    for (const auto& allowed : schema["enum"]) found = found || allowed == value;
    if (!found) {
      return Invalid(where, DescribeValue(value) + " is not one of " + schema["enum"].dump());
    }
  }
  if (value.is_string()) return CheckString(schema, value.get<std::string>(), where);
  if (value.is_number()) return CheckNumber(schema, value, where);
  if (value.is_object()) return CheckObject(schema, value, where);
  if (value.is_array()) return CheckArray(schema, value, where);
  return Status::Ok();
}

}  // namespace rockpool::api
