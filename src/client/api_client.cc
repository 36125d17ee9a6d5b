#include "client/api_client.h"

#include <nlohmann/json.hpp>

#include "api/json_codec.h"

namespace rockpool::client {
namespace {

using nlohmann::json;

Code CodeFromName(const std::string& name, int http_status) {
  static const std::pair<const char*, Code> kCodes[] = {
      {"invalid_argument", Code::kInvalidArgument},
      {"not_found", Code::kNotFound},
      {"already_exists", Code::kAlreadyExists},
      {"conflict", Code::kConflict},
      {"too_large", Code::kTooLarge},
      {"out_of_range", Code::kOutOfRange},
      {"unavailable", Code::kUnavailable},
      {"deadline_exceeded", Code::kDeadlineExceeded},
      {"internal", Code::kInternal},
      {"unimplemented", Code::kUnimplemented},
      {"forbidden", Code::kPermissionDenied},
      {"unauthenticated", Code::kUnauthenticated},
  };
  for (const auto& [n, c] : kCodes) {
    if (name == n) return c;
  }
  if (http_status == 401) return Code::kUnauthenticated;
  if (http_status == 404) return Code::kNotFound;
  if (http_status == 409) return Code::kConflict;
  if (http_status >= 500)
    return http_status == 502 || http_status == 503 ? Code::kUnavailable : Code::kInternal;
  return Code::kInvalidArgument;
}

Status ErrorFromResponse(const std::string& what, const HttpResponse& r) {
  json body = json::parse(r.body, nullptr, false);
  std::string code, message;
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    code = body["error"].value("code", "");
    message = body["error"].value("message", "");
  }
  if (message.empty() && r.status == 401) {
    message =
        "unauthorized; sign in with `rockpool login`, or pass --user and --password (or set "
        "ROCKPOOL_USERNAME and ROCKPOOL_PASSWORD, or ROCKPOOL_TOKEN)";
  }
  if (message.empty()) message = r.body.empty() ? "(no body)" : r.body.substr(0, 200);
  return Status(CodeFromName(code, r.status),
                what + ": " + std::to_string(r.status) + " " + message);
}

template <typename T, typename Fn>
Result<T> Decode(const std::string& what, const std::string& body, Fn fn) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return Status::Internal(what + ": the server answered with malformed JSON");
  auto value = fn(j);
  if (!value.ok())
    return Status::Internal(what + ": unexpected answer: " + value.status().message());
  return value;
}

// The `items` of a list answer, each read by `item`.
template <typename T>
Result<std::vector<T>> DecodeItems(const std::string& what, const std::string& body,
                                   Result<T> (*item)(const json&)) {
  return Decode<std::vector<T>>(what, body, [item](const json& j) -> Result<std::vector<T>> {
    if (!j.contains("items") || !j["items"].is_array()) {
      return Status::InvalidArgument("no items array");
    }
    std::vector<T> out;
    for (const auto& one : j["items"]) {
      RP_ASSIGN_OR_RETURN(auto v, item(one));
      out.push_back(std::move(v));
    }
    return out;
  });
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

Result<std::string> ApiClient::Call(const std::string& what, const std::string& method,
                                    const std::string& target, const std::string& body) {
  HttpRequest req;
  req.method = method;
  req.target = target;
  req.body = body;
  req.headers.emplace_back("Accept", "application/json");
  // Marks a non-browser caller: the server refuses state-changing requests that carry neither
  // this header nor a JSON content type (a cross-site form could send them otherwise).
  req.headers.emplace_back("X-Rockpool-Request", "cli");
  if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
  if (!credentials_.token.empty()) {
    req.headers.emplace_back("Authorization", "Bearer " + credentials_.token);
  } else if (!credentials_.username.empty()) {
    req.headers.emplace_back(
        "Authorization", "Basic " + Base64(credentials_.username + ":" + credentials_.password));
  }
  auto r = http_.Send(req);
  if (!r.ok()) return r.status().WithContext(what);
  if (r->status < 200 || r->status >= 300) return ErrorFromResponse(what, *r);
  return std::move(r->body);
}

Status ApiClient::Health() {
  RP_ASSIGN_OR_RETURN(auto body, Call("check API health", "GET", "/api/health"));
  return Status::Ok();
}

Result<WorkspacePage> ApiClient::List(int limit, const std::optional<std::string>& cursor,
                                      const std::optional<std::string>& owner) {
  std::string target = "/api/workspaces?limit=" + std::to_string(limit);
  if (cursor) target += "&cursor=" + UrlEncode(*cursor);
  if (owner) target += "&owner=" + UrlEncode(*owner);
  const std::string what = "list workspaces";
  RP_ASSIGN_OR_RETURN(auto body, Call(what, "GET", target));
  return Decode<WorkspacePage>(what, body, api::WorkspacePageFromJson);
}

Result<std::vector<Workspace>> ApiClient::ListAll(const std::optional<std::string>& owner) {
  std::vector<Workspace> all;
  std::optional<std::string> cursor;
  do {
    RP_ASSIGN_OR_RETURN(auto page, List(100, cursor, owner));
    for (auto& ws : page.items) all.push_back(std::move(ws));
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}

Result<Workspace> ApiClient::Create(const std::string& name, const std::string& image,
                                    const LimitsRequest& limits,
                                    std::optional<int64_t> idle_timeout_seconds,
                                    const std::optional<SourceRequest>& repository) {
  json body = {{"name", name}};
  if (!image.empty()) body["image"] = image;
  json asked = json::object();
  if (limits.cpus) asked["cpus"] = *limits.cpus;
  if (limits.memory_mib) asked["memoryMib"] = *limits.memory_mib;
  if (limits.processes) asked["processes"] = *limits.processes;
  if (limits.disk_gib) asked["diskGib"] = *limits.disk_gib;
  if (!asked.empty()) body["limits"] = std::move(asked);
  if (idle_timeout_seconds) body["idleTimeoutSeconds"] = *idle_timeout_seconds;
  if (repository) {
    json r = {{"url", repository->url}};
    if (repository->ref) r["ref"] = *repository->ref;
    if (repository->username) r["username"] = *repository->username;
    if (repository->token) r["token"] = *repository->token;
    body["repository"] = std::move(r);
  }
  const std::string what = "create workspace " + Quoted(name);
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "POST", "/api/workspaces", body.dump()));
  return Decode<Workspace>(what, text, api::WorkspaceFromJson);
}

Result<Workspace> ApiClient::SetIdleTimeout(const std::string& ref,
                                            std::optional<int64_t> seconds) {
  json body = {{"idleTimeoutSeconds", seconds ? json(*seconds) : json(nullptr)}};
  const std::string what = "set the idle timeout of workspace " + Quoted(ref);
  RP_ASSIGN_OR_RETURN(auto text,
                      Call(what, "PATCH", "/api/workspaces/" + UrlEncode(ref), body.dump()));
  return Decode<Workspace>(what, text, api::WorkspaceFromJson);
}

Result<Workspace> ApiClient::Get(const std::string& ref) {
  const std::string what = "get workspace " + Quoted(ref);
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "GET", "/api/workspaces/" + UrlEncode(ref)));
  return Decode<Workspace>(what, text, api::WorkspaceFromJson);
}

Result<Workspace> ApiClient::RetryClone(const std::string& ref) {
  const std::string what = "clone the repository of workspace " + Quoted(ref);
  RP_ASSIGN_OR_RETURN(
      auto text, Call(what, "POST", "/api/workspaces/" + UrlEncode(ref) + "/repository/clone"));
  return Decode<Workspace>(what, text, api::WorkspaceFromJson);
}

Result<Workspace> ApiClient::Start(const std::string& ref) {
  const std::string what = "start workspace " + Quoted(ref);
  RP_ASSIGN_OR_RETURN(auto text,
                      Call(what, "POST", "/api/workspaces/" + UrlEncode(ref) + "/start"));
  return Decode<Workspace>(what, text, api::WorkspaceFromJson);
}

Result<Workspace> ApiClient::Stop(const std::string& ref) {
  const std::string what = "stop workspace " + Quoted(ref);
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "POST", "/api/workspaces/" + UrlEncode(ref) + "/stop"));
  return Decode<Workspace>(what, text, api::WorkspaceFromJson);
}

Result<Workspace> ApiClient::Delete(const std::string& ref) {
  const std::string what = "delete workspace " + Quoted(ref);
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "DELETE", "/api/workspaces/" + UrlEncode(ref)));
  return Decode<Workspace>(what, text, api::WorkspaceFromJson);
}

Result<std::vector<Port>> ApiClient::ListPorts(const std::string& ref) {
  const std::string what = "list ports of workspace " + Quoted(ref);
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "GET", "/api/workspaces/" + UrlEncode(ref) + "/ports"));
  return DecodeItems<Port>(what, text, api::PortFromJson);
}

Result<int> ApiClient::OriginPort(const std::string& ref, int forwarded_port) {
  const std::string what = "find the origin of workspace " + Quoted(ref);
  std::string target = "/api/workspaces/" + UrlEncode(ref) + "/origin";
  if (forwarded_port != 0) target += "?port=" + std::to_string(forwarded_port);
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "GET", target));
  auto body = json::parse(text, nullptr, false);
  if (!body.is_object() || !body.contains("port") || !body["port"].is_number_integer()) {
    return Status::Internal(what + ": the answer has no port");
  }
  return body["port"].get<int>();
}

Result<Port> ApiClient::AddPort(const std::string& ref, int port,
                                const std::optional<std::string>& label) {
  json body = {{"port", port}};
  if (label) body["label"] = *label;
  const std::string what = "forward port " + std::to_string(port) + " of workspace " + Quoted(ref);
  RP_ASSIGN_OR_RETURN(
      auto text, Call(what, "POST", "/api/workspaces/" + UrlEncode(ref) + "/ports", body.dump()));
  return Decode<Port>(what, text, api::PortFromJson);
}

Status ApiClient::RemovePort(const std::string& ref, int port) {
  const std::string what = "remove port " + std::to_string(port) + " of workspace " + Quoted(ref);
  return Call(what, "DELETE",
              "/api/workspaces/" + UrlEncode(ref) + "/ports/" + std::to_string(port))
      .status();
}

namespace {

std::string SnapshotsTarget(const std::string& ref) {
  return "/api/workspaces/" + UrlEncode(ref) + "/snapshots";
}

}  // namespace

Result<std::vector<WorkspaceSnapshot>> ApiClient::ListSnapshots(const std::string& ref) {
  const std::string what = "list snapshots of workspace " + Quoted(ref);
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "GET", SnapshotsTarget(ref)));
  return DecodeItems<WorkspaceSnapshot>(what, text, api::SnapshotFromJson);
}

Result<WorkspaceSnapshot> ApiClient::CreateSnapshot(const std::string& ref,
                                                    const std::string& name) {
  json body = json::object();
  if (!name.empty()) body["name"] = name;
  const std::string what = "snapshot workspace " + Quoted(ref);
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "POST", SnapshotsTarget(ref), body.dump()));
  return Decode<WorkspaceSnapshot>(what, text, api::SnapshotFromJson);
}

Result<Workspace> ApiClient::RestoreSnapshot(const std::string& ref, const std::string& snapshot) {
  const std::string what = "restore workspace " + Quoted(ref) + " to snapshot " + Quoted(snapshot);
  RP_ASSIGN_OR_RETURN(
      auto text,
      Call(what, "POST", SnapshotsTarget(ref) + "/" + UrlEncode(snapshot) + "/restore", ""));
  return Decode<Workspace>(what, text, api::WorkspaceFromJson);
}

Status ApiClient::DeleteSnapshot(const std::string& ref, const std::string& snapshot) {
  const std::string what = "delete snapshot " + Quoted(snapshot) + " of workspace " + Quoted(ref);
  return Call(what, "DELETE", SnapshotsTarget(ref) + "/" + UrlEncode(snapshot)).status();
}

Result<std::vector<ApiToken>> ApiClient::ListTokens() {
  const std::string what = "list API tokens";
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "GET", "/api/tokens"));
  return DecodeItems<ApiToken>(what, text, api::ApiTokenFromJson);
}

Result<CreatedToken> ApiClient::CreateToken(const std::string& name,
                                            std::optional<int> expires_in_days) {
  json body = {{"name", name}};
  if (expires_in_days) body["expiresInDays"] = *expires_in_days;
  const std::string what = "make API token " + Quoted(name);
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "POST", "/api/tokens", body.dump()));
  return Decode<CreatedToken>(what, text, [](const json& j) -> Result<CreatedToken> {
    RP_ASSIGN_OR_RETURN(auto token, api::ApiTokenFromJson(j));
    if (!j.contains("token") || !j["token"].is_string()) {
      return Status::InvalidArgument("no token secret");
    }
    return CreatedToken{std::move(token), j["token"].get<std::string>()};
  });
}

Status ApiClient::RevokeToken(const std::string& id) {
  return Call("revoke API token " + Quoted(id), "DELETE", "/api/tokens/" + UrlEncode(id)).status();
}

Result<UserInfo> ApiClient::Me() {
  const std::string what = "ask who is signed in";
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "GET", "/api/me"));
  return Decode<UserInfo>(what, text, [](const json& j) -> Result<UserInfo> {
    UserInfo me;
    auto role = j.is_object() ? ParseRole(j.value("role", "")) : std::nullopt;
    if (!role) return Status::InvalidArgument("no role");
    me.username = j.value("username", "");
    me.role = *role;
    return me;
  });
}

Result<std::vector<UserInfo>> ApiClient::ListUsers() {
  const std::string what = "list users";
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "GET", "/api/users"));
  return DecodeItems<UserInfo>(what, text, api::UserFromJson);
}

Result<UserInfo> ApiClient::CreateUser(const std::string& username, const std::string& password,
                                       Role role) {
  json body = {{"username", username}, {"password", password}, {"role", RoleName(role)}};
  const std::string what = "make user " + Quoted(username);
  RP_ASSIGN_OR_RETURN(auto text, Call(what, "POST", "/api/users", body.dump()));
  return Decode<UserInfo>(what, text, api::UserFromJson);
}

Result<UserInfo> ApiClient::UpdateUser(const std::string& username, const UserChange& change) {
  json body = json::object();
  if (change.disabled) body["disabled"] = *change.disabled;
  if (change.role) body["role"] = RoleName(*change.role);
  if (change.password) body["password"] = *change.password;
  const std::string what = "change user " + Quoted(username);
  RP_ASSIGN_OR_RETURN(auto text,
                      Call(what, "PATCH", "/api/users/" + UrlEncode(username), body.dump()));
  return Decode<UserInfo>(what, text, api::UserFromJson);
}

Status ApiClient::ChangeMyPassword(const std::string& current, const std::string& replacement) {
  json body = {{"currentPassword", current}, {"newPassword", replacement}};
  return Call("change your password", "POST", "/api/me/password", body.dump()).status();
}

Status ApiClient::DeleteUser(const std::string& username) {
  return Call("delete user " + Quoted(username), "DELETE", "/api/users/" + UrlEncode(username))
      .status();
}

}  // namespace rockpool::client
