#include "api/api_handler.h"

#include <algorithm>
#include <functional>
#include <map>

#include "api/json_codec.h"
#include "api/json_text.h"
#include "api/list_cache.h"
#include "api/request_validation.h"
#include "auth/session_cookie.h"

namespace rockpool::api {
namespace {

using nlohmann::json;

// What an operation answers on success.
struct Reply {
  int status = 200;
  json body;         // null: no body (204)
  std::string text;  // used instead of body when text_content_type is set (already encoded)
  std::string text_content_type;
  std::string workspace;
  std::vector<std::pair<std::string, std::string>> headers;
};

constexpr char kJson[] = "application/json";

// What an operation may use besides its validated call.
struct Deps {
  WorkspaceService& service;
  Metrics& metrics;
  ListCache& list_cache;
  TokenService* tokens;      // null: this server keeps no API tokens
  UserService* users;        // null: this server keeps no accounts
  SessionService* sessions;  // null: this server keeps no browser sessions
  OriginService* origins;    // null: workspaces are served on paths
  const Principal& principal;
  bool secure;  // the request came over HTTPS
};

using OperationFn = std::function<Result<Reply>(const Deps&, const ValidatedCall&)>;

std::string Ref(const ValidatedCall& c) { return c.path.value("id", ""); }

// The account a request acts for: root on the local socket acts as the deployment's account.
Result<std::string> CallerAccount(const Deps& d) {
  if (!d.principal.local) {
    // Defence in depth: a gate that let the request through without naming an account.
    if (d.principal.username.empty()) {
      return Status::PermissionDenied("the request is signed in as no account");
    }
    return d.principal.username;
  }
  if (d.users != nullptr) return d.users->DeploymentAccount();
  if (d.tokens != nullptr) return d.tokens->Account();
  return std::string();
}

Result<Reply> WorkspaceReply(int status, Result<Workspace> ws) {
  if (!ws.ok()) return ws.status();
  return Reply{status, nullptr, WorkspaceJsonText(*ws), kJson, ws->name};
}

// A page is encoded once per list revision: polling dashboards and scripts ask for the same
// pages again and again, and the answer only changes when a workspace does.
// A member's list holds only its own workspaces, whatever `owner` it asks for.
Result<Reply> ListWorkspaces(const Deps& d, const ValidatedCall& c) {
  std::optional<std::string> cursor;
  if (c.query.contains("cursor")) cursor = c.query["cursor"].get<std::string>();
  std::optional<std::string> owner;
  if (c.query.contains("owner")) owner = c.query["owner"].get<std::string>();
  const int limit = c.query.value("limit", 25);
  if (!d.principal.admin) {
    RP_ASSIGN_OR_RETURN(auto me, CallerAccount(d));
    if (owner && *owner != me) {
      return Reply{200, {{"items", json::array()}, {"nextCursor", nullptr}}, "", "", ""};
    }
    owner = std::move(me);
  }
  const std::optional<int64_t> revision = d.service.ListRevision();
  // Unambiguous whatever the owner and cursor hold: the owner's length comes first.
  const std::string key = std::to_string(limit) + "/" + std::to_string(owner ? owner->size() : 0) +
                          "/" + owner.value_or("") + cursor.value_or("");
  if (revision) {
    if (auto text = d.list_cache.Find(key, *revision)) return Reply{200, nullptr, *text, kJson, ""};
  }
  RP_ASSIGN_OR_RETURN(auto page, d.service.List(limit, cursor, owner));
  auto text = std::make_shared<const std::string>(WorkspacePageJsonText(page));
  if (revision) d.list_cache.Store(key, *revision, text);
  return Reply{200, nullptr, *text, kJson, ""};
}

Result<Reply> CreateWorkspace(const Deps& d, const ValidatedCall& c) {
  CreateWorkspaceRequest req{c.body["name"].get<std::string>(), c.body.value("image", ""),
                             LimitsRequestFromJson(c.body.value("limits", json::object()))};
  if (c.body.contains("repository") && c.body["repository"].is_object()) {
    req.repository = SourceRequestFromJson(c.body["repository"]);
  }
  if (c.body.contains("idleTimeoutSeconds")) {
    req.idle_timeout_seconds = c.body["idleTimeoutSeconds"].get<int64_t>();
  }
  RP_ASSIGN_OR_RETURN(req.owner, CallerAccount(d));
  return WorkspaceReply(202, d.service.Create(req));
}

// The contract has checked the range; null restores the deployment's default.
Result<Reply> UpdateWorkspace(const Deps& d, const ValidatedCall& c) {
  std::optional<int64_t> idle;
  if (const json& v = c.body["idleTimeoutSeconds"]; !v.is_null()) idle = v.get<int64_t>();
  return WorkspaceReply(200, d.service.SetIdleTimeout(Ref(c), idle));
}

Result<Reply> ListPorts(const Deps& d, const ValidatedCall& c) {
  RP_ASSIGN_OR_RETURN(auto ports, d.service.ListPorts(Ref(c)));
  json items = json::array();
  for (const auto& p : ports) items.push_back(PortToJson(p));
  return Reply{200, {{"items", std::move(items)}}, "", "", Ref(c)};
}

// The IDE's origin, or with ?port= a forwarded port's: given a port of the range the first time.
Result<Reply> GetOrigin(const Deps& d, const ValidatedCall& c) {
  RP_ASSIGN_OR_RETURN(auto ws, d.service.Get(Ref(c)));
  const int forwarded = c.query.value("port", 0);
  if (forwarded != 0) {
    RP_ASSIGN_OR_RETURN(auto ports, d.service.ListPorts(Ref(c)));
    if (std::none_of(ports.begin(), ports.end(),
                     [&](const Port& p) { return p.port == forwarded; })) {
      return Status::NotFound("workspace " + ws.name + " forwards no port " +
                              std::to_string(forwarded) +
                              "; forward it with `rockpool ws port add " + ws.name + " " +
                              std::to_string(forwarded) + "`");
    }
  }
  if (d.origins == nullptr || !d.origins->options().enabled()) {
    return Reply{200, {{"mode", "paths"}, {"port", 0}}, "", "", ws.name};
  }
  RP_ASSIGN_OR_RETURN(const int port, d.origins->Assign(ws.id, forwarded));
  return Reply{200, {{"mode", "ports"}, {"port", port}}, "", "", ws.name};
}

Result<Reply> AddPort(const Deps& d, const ValidatedCall& c) {
  std::optional<std::string> label;
  if (c.body.contains("label")) label = c.body["label"].get<std::string>();
  RP_ASSIGN_OR_RETURN(auto port, d.service.AddPort(Ref(c), c.body["port"].get<int>(), label));
  return Reply{201, PortToJson(port), "", "", Ref(c)};
}

Result<Reply> RemovePort(const Deps& d, const ValidatedCall& c) {
  RP_RETURN_IF_ERROR(d.service.RemovePort(Ref(c), c.path["port"].get<int>()));
  return Reply{204, nullptr, "", "", Ref(c)};
}

Result<Reply> ListSnapshots(const Deps& d, const ValidatedCall& c) {
  RP_ASSIGN_OR_RETURN(auto snapshots, d.service.ListSnapshots(Ref(c)));
  json items = json::array();
  for (const auto& s : snapshots) items.push_back(SnapshotToJson(s));
  return Reply{200, {{"items", std::move(items)}}, "", "", Ref(c)};
}

Result<Reply> CreateSnapshot(const Deps& d, const ValidatedCall& c) {
  RP_ASSIGN_OR_RETURN(auto snapshot,
                      d.service.CreateSnapshot(Ref(c), c.body.value("name", std::string())));
  return Reply{201, SnapshotToJson(snapshot), "", "", Ref(c)};
}

std::string SnapshotRef(const ValidatedCall& c) { return c.path.value("snapshot", ""); }

Result<Reply> DeleteSnapshot(const Deps& d, const ValidatedCall& c) {
  RP_RETURN_IF_ERROR(d.service.DeleteSnapshot(Ref(c), SnapshotRef(c)));
  return Reply{204, nullptr, "", "", Ref(c)};
}

Result<Reply> GetMetrics(const Deps& d, const ValidatedCall&) {
  if (!d.principal.admin) return Status::PermissionDenied("only admins may read the metrics");
  RP_ASSIGN_OR_RETURN(auto counts, d.service.CountByStatus());
  return Reply{200, nullptr, d.metrics.Render(counts), "text/plain; version=0.0.4; charset=utf-8",
               ""};
}

// The token service and the account the request acts for.
Result<std::pair<TokenService*, std::string>> TokenCaller(const Deps& d) {
  if (d.tokens == nullptr) return Status(Code::kUnimplemented, "this server keeps no API tokens");
  RP_ASSIGN_OR_RETURN(auto account, CallerAccount(d));
  return std::pair{d.tokens, std::move(account)};
}

Result<Reply> ListTokens(const Deps& d, const ValidatedCall&) {
  RP_ASSIGN_OR_RETURN(auto caller, TokenCaller(d));
  RP_ASSIGN_OR_RETURN(auto tokens, caller.first->List(caller.second));
  json items = json::array();
  for (const auto& t : tokens) items.push_back(ApiTokenToJson(t));
  return Reply{200, {{"items", std::move(items)}}, "", "", ""};
}

Result<Reply> CreateToken(const Deps& d, const ValidatedCall& c) {
  if (!d.principal.token_id.empty()) {
    return Status::PermissionDenied(
        "a request signed in with an API token cannot make tokens; sign in with the password "
        "(`rockpool login` asks for it)");
  }
  RP_ASSIGN_OR_RETURN(auto caller, TokenCaller(d));
  std::optional<int> days;
  if (const json& v = c.body.value("expiresInDays", json()); !v.is_null()) days = v.get<int>();
  RP_ASSIGN_OR_RETURN(auto created,
                      caller.first->Create(caller.second, c.body["name"].get<std::string>(), days));
  json body = ApiTokenToJson(created.token);
  body["token"] = created.secret;
  return Reply{201, std::move(body), "", "", ""};
}

Result<Reply> RevokeToken(const Deps& d, const ValidatedCall& c) {
  RP_ASSIGN_OR_RETURN(auto caller, TokenCaller(d));
  RP_RETURN_IF_ERROR(caller.first->Revoke(caller.second, c.path["tokenId"].get<std::string>()));
  return Reply{204, nullptr, "", "", ""};
}

Result<Reply> GetMe(const Deps& d, const ValidatedCall&) {
  RP_ASSIGN_OR_RETURN(auto account, CallerAccount(d));
  bool deployment = d.principal.local;
  if (!deployment && d.users != nullptr) {
    RP_ASSIGN_OR_RETURN(auto name, d.users->DeploymentAccount());
    deployment = account == name;
  }
  json me = {{"username", account},
             {"role", d.principal.admin ? "admin" : "member"},
             {"deployment", deployment}};
  return Reply{200, std::move(me), "", "", ""};
}

// The user service, for an admin; `what` completes "only admins may ...".
Result<UserService*> AdminUsers(const Deps& d, std::string_view what) {
  if (d.users == nullptr) return Status(Code::kUnimplemented, "this server keeps no accounts");
  if (!d.principal.admin) return Status::PermissionDenied("only admins may " + std::string(what));
  return d.users;
}

std::string Username(const ValidatedCall& c) { return c.path.value("username", ""); }

std::optional<Role> RoleField(const ValidatedCall& c) {
  if (!c.body.contains("role")) return std::nullopt;
  return ParseRole(c.body["role"].get<std::string>());  // the contract allows only known roles
}

Result<Reply> ListUsers(const Deps& d, const ValidatedCall&) {
  RP_ASSIGN_OR_RETURN(auto users, AdminUsers(d, "list accounts"));
  RP_ASSIGN_OR_RETURN(auto all, users->List());
  json items = json::array();
  for (const auto& u : all) items.push_back(UserToJson(u));
  return Reply{200, {{"items", std::move(items)}}, "", "", ""};
}

Result<Reply> CreateUser(const Deps& d, const ValidatedCall& c) {
  RP_ASSIGN_OR_RETURN(auto users, AdminUsers(d, "make accounts"));
  RP_ASSIGN_OR_RETURN(auto made, users->Create(c.body["username"].get<std::string>(),
                                               c.body["password"].get<std::string>(),
                                               RoleField(c).value_or(Role::kMember)));
  return Reply{201, UserToJson(made), "", "", ""};
}

Result<Reply> UpdateUser(const Deps& d, const ValidatedCall& c) {
  RP_ASSIGN_OR_RETURN(auto users, AdminUsers(d, "change accounts"));
  UserChange change;
  if (c.body.contains("disabled")) change.disabled = c.body["disabled"].get<bool>();
  change.role = RoleField(c);
  if (c.body.contains("password")) change.password = c.body["password"].get<std::string>();
  if (!change.disabled && !change.role && !change.password) {
    return Status::InvalidArgument("nothing to change: send disabled, role or password");
  }
  RP_ASSIGN_OR_RETURN(auto actor, CallerAccount(d));
  RP_ASSIGN_OR_RETURN(auto updated, users->Update(actor, Username(c), change));
  return Reply{200, UserToJson(updated), "", "", ""};
}

// Own password: signed in with the password, never a token (a leaked token must not be turned
// into the password), and the current one repeated.
Result<Reply> ChangeMyPassword(const Deps& d, const ValidatedCall& c) {
  if (d.users == nullptr) return Status(Code::kUnimplemented, "this server keeps no accounts");
  if (!d.principal.token_id.empty()) {
    return Status::PermissionDenied(
        "a request signed in with an API token cannot change the password; sign in with it");
  }
  RP_ASSIGN_OR_RETURN(auto account, CallerAccount(d));
  RP_RETURN_IF_ERROR(d.users->ChangePassword(account, c.body["currentPassword"].get<std::string>(),
                                             c.body["newPassword"].get<std::string>()));
  return Reply{204, nullptr, "", "", ""};
}

Result<Reply> DeleteUser(const Deps& d, const ValidatedCall& c) {
  RP_ASSIGN_OR_RETURN(auto users, AdminUsers(d, "delete accounts"));
  RP_ASSIGN_OR_RETURN(auto actor, CallerAccount(d));
  RP_RETURN_IF_ERROR(users->Delete(actor, Username(c)));
  return Reply{204, nullptr, "", "", ""};
}

Result<SessionService*> Sessions(const Deps& d) {
  if (d.sessions == nullptr) {
    return Status(Code::kUnimplemented, "this server keeps no browser sessions");
  }
  return d.sessions;
}

// A session starts with the password only: a leaked token or a stolen cookie cannot mint more.
Result<Reply> CreateSession(const Deps& d, const ValidatedCall&) {
  RP_ASSIGN_OR_RETURN(auto sessions, Sessions(d));
  if (!d.principal.by_password()) {
    return Status::PermissionDenied(
        "a session starts with the account's password: send it as `Authorization: Basic`, not "
        "an API token or another session");
  }
  RP_ASSIGN_OR_RETURN(auto started, sessions->Start(d.principal.username, d.principal.binding));
  Reply reply{201,
              {{"username", d.principal.username},
               {"role", d.principal.admin ? "admin" : "member"},
               {"expiresAt", started.expires_at}},
              "",
              "",
              ""};
  reply.headers.emplace_back("Set-Cookie",
                             auth::SessionSetCookie(started.secret, started.max_age, d.secure));
  return reply;
}

Result<Reply> DeleteSession(const Deps& d, const ValidatedCall&) {
  RP_ASSIGN_OR_RETURN(auto sessions, Sessions(d));
  if (!d.principal.session_id.empty()) {
    RP_RETURN_IF_ERROR(sessions->End(d.principal.username, d.principal.session_id));
  }
  Reply reply{204, nullptr, "", "", ""};
  reply.headers.emplace_back("Set-Cookie", auth::ClearedSessionCookie(d.secure));
  return reply;
}

Result<Reply> EndMySessions(const Deps& d, const ValidatedCall&) {
  RP_ASSIGN_OR_RETURN(auto sessions, Sessions(d));
  RP_ASSIGN_OR_RETURN(auto account, CallerAccount(d));
  RP_ASSIGN_OR_RETURN(int ended, sessions->EndAll(account));
  Reply reply{200, {{"ended", ended}}, "", "", ""};
  reply.headers.emplace_back("Set-Cookie", auth::ClearedSessionCookie(d.secure));
  return reply;
}

const std::map<std::string, OperationFn>& Operations() {
  static const std::map<std::string, OperationFn> kOps = {
      {"getHealth",
       [](const Deps&, const ValidatedCall&) -> Result<Reply> {
         return Reply{200, {{"status", "ok"}}, "", "", ""};
       }},
      {"getMetrics", GetMetrics},
      {"getMe", GetMe},
      {"changeMyPassword", ChangeMyPassword},
      {"createSession", CreateSession},
      {"deleteSession", DeleteSession},
      {"endMySessions", EndMySessions},
      {"listUsers", ListUsers},
      {"createUser", CreateUser},
      {"updateUser", UpdateUser},
      {"deleteUser", DeleteUser},
      {"listTokens", ListTokens},
      {"createToken", CreateToken},
      {"revokeToken", RevokeToken},
      {"listWorkspaces", ListWorkspaces},
      {"createWorkspace", CreateWorkspace},
      {"getWorkspace",
       [](const Deps& d, const ValidatedCall& c) {
         return WorkspaceReply(200, d.service.Get(Ref(c)));
       }},
      {"updateWorkspace", UpdateWorkspace},
      {"deleteWorkspace",
       [](const Deps& d, const ValidatedCall& c) {
         return WorkspaceReply(202, d.service.Delete(Ref(c)));
       }},
      {"startWorkspace",
       [](const Deps& d, const ValidatedCall& c) {
         return WorkspaceReply(202, d.service.Start(Ref(c)));
       }},
      {"stopWorkspace",
       [](const Deps& d, const ValidatedCall& c) {
         return WorkspaceReply(202, d.service.Stop(Ref(c)));
       }},
      {"retryClone",
       [](const Deps& d, const ValidatedCall& c) {
         return WorkspaceReply(202, d.service.RetryClone(Ref(c)));
       }},
      {"listPorts", ListPorts},
      {"getOrigin", GetOrigin},
      {"addPort", AddPort},
      {"removePort", RemovePort},
      {"listSnapshots", ListSnapshots},
      {"createSnapshot", CreateSnapshot},
      {"deleteSnapshot", DeleteSnapshot},
      {"restoreSnapshot",
       [](const Deps& d, const ValidatedCall& c) {
         return WorkspaceReply(202, d.service.RestoreSnapshot(Ref(c), SnapshotRef(c)));
       }},
  };
  return kOps;
}

ApiResponse ErrorResponse(const ApiError& error, ApiResponse base) {
  base.status = error.http_status;
  base.content_type = "application/json";
  base.body = error.Body();
  base.headers.insert(base.headers.end(), error.headers.begin(), error.headers.end());
  return base;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

}  // namespace

Status ApiHandler::AuthorizeWorkspace(const Principal& principal, const std::string& ref) const {
  if (principal.admin) return Status::Ok();
  RP_ASSIGN_OR_RETURN(Workspace ws, service_.Get(ref));
  // Worded for `ref` as the caller named it (an id or a name).
  return AuthorizeWorkspace(principal, ws).ok() ? Status::Ok() : WorkspaceNotFound(ref);
}

Status ApiHandler::AuthorizeWorkspace(const Principal& principal, const Workspace& ws) {
  if (principal.admin) return Status::Ok();
  if (ws.owner.empty() || ws.owner != principal.username) return WorkspaceNotFound(ws.name);
  return Status::Ok();
}

std::string ApiHandler::RouteTemplate(const std::string& method, const std::string& path) const {
  std::string route = contract_.Match(method, path).path_template;
  return route.empty() ? "unmatched" : route;
}

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
  if (out.route.starts_with("/api/workspaces") && call.body.is_object() &&
      call.body.contains("name")) {
    out.workspace = call.body["name"].get<std::string>();
  }

  if (auto it = match.path_params.find("id"); it != match.path_params.end()) {
    if (Status access = AuthorizeWorkspace(request.principal, it->second); !access.ok()) {
      return ErrorResponse(ApiError::FromStatus(access), out);
    }
  }
  auto op = Operations().find(match.operation->id);
  if (op == Operations().end()) {
    return ErrorResponse(ApiError::FromStatus(Status::Internal("operation " + match.operation->id +
                                                               " has no handler")),
                         out);
  }
  Result<Reply> reply = op->second(Deps{service_, metrics_, list_cache_, tokens_, users_, sessions_,
                                        origins_, request.principal, request.secure},
                                   call);
  if (!reply.ok()) return ErrorResponse(ApiError::FromStatus(reply.status()), out);
  out.status = reply->status;
  out.headers.insert(out.headers.end(), reply->headers.begin(), reply->headers.end());
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
