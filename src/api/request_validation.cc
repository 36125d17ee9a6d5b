#include "api/request_validation.h"

#include <charconv>

#include "api/schema_validator.h"

namespace rockpool::api {
namespace {

using nlohmann::json;

constexpr std::string_view kQueryRule = "see api/openapi.yaml for the parameters it takes";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A parameter arrives as text; its schema type says what JSON value it stands for.
std::variant<json, ApiError> Coerce(const Parameter& p, const std::string& text,
                                    const std::string& where) {
  const std::string type = p.schema.value("type", "string");
  if (type == "integer") {
    long long v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return ApiError::FromStatus(
          Status::InvalidArgument(where + ": expected an integer, got " + DescribeValue(text)));
    }
    return json(v);
  }
  if (type == "boolean") {
    if (text == "true" || text == "false") return json(text == "true");
    return ApiError::FromStatus(
        Status::InvalidArgument(where + ": expected true or false, got " + DescribeValue(text)));
  }
  return json(text);
}

std::variant<json, ApiError> ParameterValue(const Parameter& p, const std::string& raw,
                                            bool in_query) {
  const std::string where = p.in + "." + p.name;
  std::string text;
  if (!PercentDecode(raw, in_query, &text)) {
    return ApiError::FromStatus(
        Status::InvalidArgument(where + ": malformed percent-encoding in " + DescribeValue(raw)));
  }
  auto value = Coerce(p, text, where);
  if (auto* err = std::get_if<ApiError>(&value)) return *err;
  Status valid = ValidateAgainstSchema(p.schema, std::get<json>(value), where);
  if (!valid.ok()) return ApiError::FromStatus(valid);
  return value;
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key;
    if (!PercentDecode(pair.substr(0, eq), true, &key)) key = std::string(pair.substr(0, eq));
    out.try_emplace(key, eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
  }
  return out;
}

std::optional<ApiError> ValidateParameters(const RouteMatch& match, std::string_view query,
                                           ValidatedCall* call) {
  auto raw_query = ParseQuery(query);
  for (const auto& p : match.operation->parameters) {
    const bool in_query = p.in == "query";
    const auto& source = in_query ? raw_query : match.path_params;
    json& target = in_query ? call->query : call->path;
    auto it = source.find(p.name);
    if (it == source.end()) {
      if (p.required) {
        return ApiError::FromStatus(Status::InvalidArgument(
            p.in + "." + p.name + ": missing required parameter; " + std::string(kQueryRule)));
      }
      if (p.schema.contains("default")) target[p.name] = p.schema["default"];
      continue;
    }
    auto value = ParameterValue(p, it->second, in_query);
    if (auto* err = std::get_if<ApiError>(&value)) return *err;
    target[p.name] = std::get<json>(value);
    if (in_query) raw_query.erase(it->first);
  }
  if (!raw_query.empty()) {
    return ApiError::FromStatus(Status::InvalidArgument("query: unknown parameter " +
                                                        DescribeValue(raw_query.begin()->first) +
                                                        "; " + std::string(kQueryRule)));
  }
  return std::nullopt;
}

bool IsJsonContentType(std::string_view content_type) {
  std::string base(content_type.substr(0, content_type.find(';')));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (auto& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return base == "application/json";
}

std::optional<ApiError> ValidateBody(const json& schema, std::string_view content_type,
                                     std::string_view body, ValidatedCall* call) {
  if (body.empty()) {
    return ApiError::FromStatus(Status::InvalidArgument(
        "body: a JSON object is required; send Content-Type: application/json"));
  }
  if (!IsJsonContentType(content_type)) {
    return ApiError::UnsupportedMediaType(
        "body: Content-Type " +
        (content_type.empty() ? std::string("(none)") : DescribeValue(std::string(content_type))) +
        " is not supported; send the body as application/json");
  }
  try {
    call->body = json::parse(body);
  } catch (const json::parse_error& e) {
    return ApiError::FromStatus(
        Status::InvalidArgument(std::string("body: malformed JSON: ") + e.what()));
  }
  Status valid = ValidateAgainstSchema(schema, call->body, "body");
  if (!valid.ok()) return ApiError::FromStatus(valid);
  const json properties = schema.value("properties", json::object());
  for (const auto& [key, prop] : properties.items()) {
    if (!call->body.contains(key) && prop.contains("default")) call->body[key] = prop["default"];
  }
  return std::nullopt;
}

}  // namespace

SplitTarget SplitRequestTarget(std::string_view target) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return {std::string(target), ""};
  return {std::string(target.substr(0, q)), std::string(target.substr(q + 1))};
}

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+' && plus_is_space) {
      *out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      *out += in[i];
    }
  }
  return true;
}

std::variant<ValidatedCall, ApiError> ValidateRequest(const RouteMatch& match,
                                                      std::string_view query,
                                                      std::string_view content_type,
                                                      std::string_view body) {
  ValidatedCall call;
  call.operation = match.operation;
  if (auto err = ValidateParameters(match, query, &call)) return *err;
  if (match.operation->body_schema) {
    if (auto err = ValidateBody(*match.operation->body_schema, content_type, body, &call)) {
      return *err;
    }
  }
  return call;
}

}  // namespace rockpool::api
