// validation_bench: request validation against api/openapi.yaml, Rockpool's own schema
// validator next to valijson (Debian's libvalijson-dev, JSON Schema draft 7, nlohmann adapter).
// Each case validates one request value many times; each run reports the mean time per call;
// the summary is the median of the runs.
//   validation_bench [runs=7] [calls per run=20000]
// Needs libvalijson-dev (header-only; its Debian package pulls in about 90 packages: Qt5,
// Poco, ...); without it this program is not built.
//
// Why Rockpool keeps its own validator (api/schema_validator.h): on a 2-core Debian 12 host
// under load, valijson 1.0 took 1.8-3.3 us for a createWorkspace body where Rockpool's took
// 3.2-3.4 us, next to 9.6-12.9 us for the whole request check; the difference is about 1 us
// of a request. valijson does not speak OpenAPI 3.0 (`nullable` must be rewritten), ignores
// `format: uuid`, builds a std::regex on every `date-time` check, and its errors ("Failed to
// match regex specified by 'pattern' constraint.") do not say how to fix the request, so the
// messages would need the hand-written code anyway.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "api/contract.h"
#include "api/request_validation.h"
#include "api/schema_validator.h"
#include "bench/bench_util.h"

namespace rockpool::bench {
namespace {

using nlohmann::json;

// OpenAPI 3.0's `nullable` is not JSON Schema: draft 7 says it with a type list.
json ToDraft7(json schema) {
  if (!schema.is_object()) return schema;
  if (schema.value("nullable", false) && schema.contains("type")) {
    schema["type"] = json::array({schema["type"], "null"});
  }
  schema.erase("nullable");
  for (const char* key : {"properties"}) {
    if (schema.contains(key)) {
      for (auto& [_, sub] : schema[key].items()) sub = ToDraft7(sub);
    }
  }
  for (const char* key : {"items", "additionalProperties"}) {
    if (schema.contains(key)) schema[key] = ToDraft7(schema[key]);
  }
  return schema;
}

struct Case {
  std::string label;
  json schema;  // OpenAPI form, refs resolved
  json value;
  std::string where;
};

std::vector<Case> Cases(const api::Contract& contract) {
  const api::Operation* create = contract.FindOperation("createWorkspace");
  const api::Operation* port = contract.FindOperation("addPort");
  const api::Operation* list = contract.FindOperation("listWorkspaces");
  if (create == nullptr || port == nullptr || list == nullptr || !create->body_schema ||
      !port->body_schema) {
    std::fprintf(stderr, "validation_bench: the contract lacks an operation this bench uses\n");
    std::exit(1);
  }
  json limit_schema;
  for (const auto& p : list->parameters) {
    if (p.name == "limit") limit_schema = p.schema;
  }
  json full = {
      {"name", "my-workspace-12"}, {"image", "rockpool-workspace"}, {"limits", json::object()}};
  return {
      {"createWorkspace body {name}", *create->body_schema, {{"name", "my-workspace-12"}}, "body"},
      {"createWorkspace body {name,image,limits}", *create->body_schema, full, "body"},
      {"addPort body {port,label}", *port->body_schema, {{"port", 3000}, {"label", "web"}}, "body"},
      {"listWorkspaces query.limit", limit_schema, 20, "query.limit"},
      {"invalid: unknown field", *create->body_schema, {{"name", "abc"}, {"colour", 1}}, "body"},
      {"invalid: bad name", *create->body_schema, {{"name", "Bad_Name"}}, "body"},
  };
}

template <typename F>
Summary MeasureMicros(int runs, int calls, F&& call) {
  std::vector<double> per_call;
  for (int r = 0; r < runs; ++r) {
    auto t0 = Clock::now();
    for (int i = 0; i < calls; ++i) call();
    per_call.push_back(SecondsSince(t0) * 1e6 / calls);
  }
  return Summarize(per_call);
}

}  // namespace
}  // namespace rockpool::bench

int main(int argc, char** argv) {
  using namespace rockpool;
  using namespace rockpool::bench;
  const int runs = argc > 1 ? std::atoi(argv[1]) : 7;
  const int calls = argc > 2 ? std::atoi(argv[2]) : 20000;
  auto contract = api::Contract::Embedded();
  if (!contract.ok()) {
    std::fprintf(stderr, "validation_bench: %s\n", contract.status().ToString().c_str());
    return 1;
  }
  std::printf("%-42s %14s %14s %14s\n", "case (us per call, median of runs)", "rockpool",
              "valijson", "valijson+msgs");
  for (const Case& c : Cases(*contract)) {
    valijson::Schema schema;
    json draft7 = ToDraft7(c.schema);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter schema_adapter(draft7);
    parser.populateSchema(schema_adapter, schema);
    valijson::Validator validator;

    bool ours_ok = true, theirs_ok = true;
    Summary ours = MeasureMicros(runs, calls, [&] {
      ours_ok = api::ValidateAgainstSchema(c.schema, c.value, c.where).ok();
    });
    // Without results (the yes/no a request needs when valid), then collecting the errors
    // (what an invalid request needs for its message).
    Summary theirs = MeasureMicros(runs, calls, [&] {
      valijson::adapters::NlohmannJsonAdapter target(c.value);
      theirs_ok = validator.validate(schema, target, nullptr);
    });
    Summary theirs_msgs = MeasureMicros(runs, calls, [&] {
      valijson::adapters::NlohmannJsonAdapter target(c.value);
      valijson::ValidationResults results;
      validator.validate(schema, target, &results);
    });
    if (ours_ok != theirs_ok) {
      std::fprintf(stderr, "validation_bench: %s: the validators disagree (%d vs %d)\n",
                   c.label.c_str(), ours_ok, theirs_ok);
      return 1;
    }
    std::printf("%-42s %8.2f [%.2f-%.2f] %6.2f [%.2f-%.2f] %6.2f [%.2f-%.2f]\n", c.label.c_str(),
                ours.median, ours.min, ours.max, theirs.median, theirs.min, theirs.max,
                theirs_msgs.median, theirs_msgs.min, theirs_msgs.max);
  }

  // For scale: the whole request check (parameters, JSON parse of the body, schema).
  const api::Operation* create = contract->FindOperation("createWorkspace");
  api::RouteMatch match;
  match.operation = create;
  match.path_template = create->path_template;
  Summary request = MeasureMicros(runs, calls, [&] {
    auto v = api::ValidateRequest(match, "", "application/json", R"({"name":"my-workspace-12"})");
    if (!std::holds_alternative<api::ValidatedCall>(v)) std::abort();
  });
  std::printf("%-42s %8.2f [%.2f-%.2f]\n", "ValidateRequest createWorkspace (rockpool)",
              request.median, request.min, request.max);
  return 0;
}
