#include "api/api_handler.h"

#include <functional>
#include <map>

#include "api/json_codec.h"
#include "api/request_validation.h"

namespace rockpool::api {
namespace {

using nlohmann::json;

// What an operation answers on success.
struct Reply {
  int status = 200;
  json body;         // null: no body (204)
  std::string text;  // used instead of body when text_content_type is set
  std::string text_content_type;
  std::string workspace;
};

using OperationFn = std::function<Result<Reply>(WorkspaceService&, Metrics&, const ValidatedCall&)>;

std::string Ref(const ValidatedCall& c) { return c.path.value("id", ""); }

Result<Reply> WorkspaceReply(int status, Result<Workspace> ws) {
  if (!ws.ok()) return ws.status();
  return Reply{status, WorkspaceToJson(*ws), "", "", ws->name};
}

Result<Reply> ListWorkspaces(WorkspaceService& s, Metrics&, const ValidatedCall& c) {
  std::optional<std::string> cursor;
  if (c.query.contains("cursor")) cursor = c.query["cursor"].get<std::string>();
  RP_ASSIGN_OR_RETURN(auto page, s.List(c.query.value("limit", 25), cursor));
  return Reply{200, WorkspacePageToJson(page), "", "", ""};
}

Result<Reply> CreateWorkspace(WorkspaceService& s, Metrics&, const ValidatedCall& c) {
  CreateWorkspaceRequest req{c.body["name"].get<std::string>(), c.body.value("image", "")};
  return WorkspaceReply(202, s.Create(req));
}

Result<Reply> ListPorts(WorkspaceService& s, Metrics&, const ValidatedCall& c) {
  RP_ASSIGN_OR_RETURN(auto ports, s.ListPorts(Ref(c)));
  json items = json::array();
  for (const auto& p : ports) items.push_back(PortToJson(p));
  return Reply{200, {{"items", std::move(items)}}, "", "", Ref(c)};
}

Result<Reply> AddPort(WorkspaceService& s, Metrics&, const ValidatedCall& c) {
  std::optional<std::string> label;
  if (c.body.contains("label")) label = c.body["label"].get<std::string>();
  RP_ASSIGN_OR_RETURN(auto port, s.AddPort(Ref(c), c.body["port"].get<int>(), label));
  return Reply{201, PortToJson(port), "", "", Ref(c)};
}

Result<Reply> RemovePort(WorkspaceService& s, Metrics&, const ValidatedCall& c) {
  RP_RETURN_IF_ERROR(s.RemovePort(Ref(c), c.path["port"].get<int>()));
  return Reply{204, nullptr, "", "", Ref(c)};
}

Result<Reply> GetMetrics(WorkspaceService& s, Metrics& m, const ValidatedCall&) {
  RP_ASSIGN_OR_RETURN(auto counts, s.CountByStatus());
  return Reply{200, nullptr, m.Render(counts), "text/plain; version=0.0.4; charset=utf-8", ""};
}

const std::map<std::string, OperationFn>& Operations() {
  static const std::map<std::string, OperationFn> kOps = {
      {"getHealth",
       [](WorkspaceService&, Metrics&, const ValidatedCall&) -> Result<Reply> {
         return Reply{200, {{"status", "ok"}}, "", "", ""};
       }},
      {"getMetrics", GetMetrics},
      {"listWorkspaces", ListWorkspaces},
      {"createWorkspace", CreateWorkspace},
      {"getWorkspace", [](WorkspaceService& s, Metrics&,
                          const ValidatedCall& c) { return WorkspaceReply(200, s.Get(Ref(c))); }},
      {"deleteWorkspace",
       [](WorkspaceService& s, Metrics&, const ValidatedCall& c) {
         return WorkspaceReply(202, s.Delete(Ref(c)));
       }},
      {"startWorkspace",
       [](WorkspaceService& s, Metrics&, const ValidatedCall& c) {
         return WorkspaceReply(202, s.Start(Ref(c)));
       }},
      {"stopWorkspace", [](WorkspaceService& s, Metrics&,
                           const ValidatedCall& c) { return WorkspaceReply(202, s.Stop(Ref(c))); }},
      {"listPorts", ListPorts},
      {"addPort", AddPort},
      {"removePort", RemovePort},
  };
  return kOps;
}

ApiResponse ErrorResponse(const ApiError& error, ApiResponse base) {
  base.status = error.http_status;
  base.content_type = "application/json";
  base.body = error.Body();
  return base;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

}  // namespace

ApiResponse ApiHandler::Handle(const ApiRequest& request) const {
  const SplitTarget target = SplitRequestTarget(request.target);
  const RouteMatch match = contract_.Match(request.method, target.path);
  ApiResponse out;
  if (match.path_template.empty()) {
    return ErrorResponse(ApiError::FromStatus(Status::NotFound(
                             "no route " + request.method + " " + target.path +
                             "; the API's operations are listed in api/openapi.yaml")),
                         out);
  }
  out.route = match.path_template;
  if (auto it = match.path_params.find("id"); it != match.path_params.end()) {
    out.workspace = it->second;
  }
  if (match.operation == nullptr) {
    const std::string allowed = Join(match.allowed_methods, ", ");
    out.headers.emplace_back("Allow", allowed);
    return ErrorResponse(ApiError::MethodNotAllowed(request.method + " is not allowed on " +
                                                    match.path_template + "; use " + allowed),
                         out);
  }
  auto validated = ValidateRequest(match, target.query, request.content_type, request.body);
  if (auto* err = std::get_if<ApiError>(&validated)) return ErrorResponse(*err, out);
  const auto& call = std::get<ValidatedCall>(validated);
  if (call.body.is_object() && call.body.contains("name")) {
    out.workspace = call.body["name"].get<std::string>();
  }

  auto op = Operations().find(match.operation->id);
  if (op == Operations().end()) {
    return ErrorResponse(ApiError::FromStatus(Status::Internal("operation " + match.operation->id +
                                                               " has no handler")),
                         out);
  }
  Result<Reply> reply = op->second(service_, metrics_, call);
  if (!reply.ok()) return ErrorResponse(ApiError::FromStatus(reply.status()), out);
  out.status = reply->status;
  if (!reply->workspace.empty()) out.workspace = reply->workspace;
  if (!reply->text_content_type.empty()) {
    out.content_type = reply->text_content_type;
    out.body = std::move(reply->text);
  } else if (!reply->body.is_null()) {
    out.body = reply->body.dump(-1, ' ', false, json::error_handler_t::replace);
  } else {
    out.content_type.clear();
  }
  return out;
}

}  // namespace rockpool::api
