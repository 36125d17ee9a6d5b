#include "api/json_codec.h"

namespace rockpool::api {

using nlohmann::json;

namespace {

json OptionalString(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::optional<std::string> NullableString(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<std::string>();
}

std::optional<int64_t> OptionalWhole(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number()) return std::nullopt;
  const json& v = j[key];
  if (v.is_number_unsigned()) {
    return v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : v.get<int64_t>();
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  const double d = v.get<double>();  // an integral float such as 1e30
  return d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : static_cast<int64_t>(d);
}

}  // namespace

json LimitsToJson(const WorkspaceLimits& limits) {
  return {{"cpus", limits.cpus},
          {"memoryMib", limits.memory_mib},
          {"processes", limits.processes},
          {"diskGib", limits.disk_gib}};
}

LimitsRequest LimitsRequestFromJson(const json& j) {
  LimitsRequest r;
  if (!j.is_object()) return r;
  if (j.contains("cpus") && j["cpus"].is_number()) r.cpus = j["cpus"].get<double>();
  r.memory_mib = OptionalWhole(j, "memoryMib");
  r.processes = OptionalWhole(j, "processes");
  r.disk_gib = OptionalWhole(j, "diskGib");
  return r;
}

// The token never leaves: an answer says only whether there is one.
json SourceToJson(const WorkspaceSource& source) {
  json error = nullptr;
  if (source.status == SourceStatus::kFailed) {
    error = {{"kind", std::string(CloneErrorName(source.error_kind.value_or(CloneError::kOther)))},
             {"message", source.error.value_or("")}};
  }
  return {{"url", source.url},
          {"ref", OptionalString(source.ref)},
          {"hasToken", source.sealed_token.has_value()},
          {"status", std::string(SourceStatusName(source.status))},
          {"error", std::move(error)},
          {"updatedAt", source.updated_at}};
}

SourceRequest SourceRequestFromJson(const json& j) {
  SourceRequest r;
  r.url = j.value("url", "");
  r.ref = NullableString(j, "ref");
  r.username = NullableString(j, "username");
  r.token = NullableString(j, "token");
  return r;
}

json WorkspaceToJson(const Workspace& ws) {
  return {{"id", ws.id},
          {"name", ws.name},
          {"status", std::string(StatusName(ws.status))},
          {"image", ws.image},
          {"statusReason", OptionalString(ws.status_reason)},
          {"createdAt", ws.created_at},
          {"updatedAt", ws.updated_at},
          {"limits", LimitsToJson(ws.limits)},
          {"repository", ws.source ? SourceToJson(*ws.source) : json(nullptr)},
          {"idleTimeoutSeconds", ws.idle_timeout_seconds},
          {"lastActivityAt", OptionalString(ws.last_activity_at)},
          {"idleStopAt", OptionalString(ws.idle_stop_at)},
          {"location", ws.location.empty() ? json(nullptr) : json(ws.location)},
          {"owner", ws.owner.empty() ? json(nullptr) : json(ws.owner)}};
}

json PortToJson(const Port& port) {
  return {{"workspaceId", port.workspace_id},
          {"port", port.port},
          {"label", OptionalString(port.label)},
          {"createdAt", port.created_at}};
}

json SnapshotToJson(const WorkspaceSnapshot& snapshot) {
  return {{"name", snapshot.name}, {"createdAt", snapshot.created_at}};
}

namespace {

json OptionalText(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

std::optional<std::string> OptionalTextFrom(const json& j, const char* key) {
  const json& v = j.at(key);
  if (v.is_null()) return std::nullopt;
  return v.get<std::string>();
}

}  // namespace

json UserToJson(const UserInfo& user) {
  return {{"username", user.username},
          {"role", RoleName(user.role)},
          {"disabled", user.disabled},
          {"deployment", user.deployment},
          {"createdAt", user.created_at.empty() ? json(nullptr) : json(user.created_at)}};
}

Result<UserInfo> UserFromJson(const json& j) {
  try {
    UserInfo u;
    u.username = j.at("username").get<std::string>();
    auto role = ParseRole(j.at("role").get<std::string>());
    if (!role) return Status::InvalidArgument("user: unknown role " + j.at("role").dump());
    u.role = *role;
    u.disabled = j.at("disabled").get<bool>();
    u.deployment = j.at("deployment").get<bool>();
    u.created_at = NullableString(j, "createdAt").value_or("");
    return u;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("user: ") + e.what());
  }
}

json ApiTokenToJson(const ApiToken& token) {
  return {{"id", token.id},
          {"name", token.name},
          {"createdAt", token.created_at},
          {"expiresAt", OptionalText(token.expires_at)},
          {"lastUsedAt", OptionalText(token.last_used_at)}};
}

Result<ApiToken> ApiTokenFromJson(const json& j) {
  try {
    ApiToken t;
    t.id = j.at("id").get<std::string>();
    t.name = j.at("name").get<std::string>();
    t.created_at = j.at("createdAt").get<std::string>();
    t.expires_at = OptionalTextFrom(j, "expiresAt");
    t.last_used_at = OptionalTextFrom(j, "lastUsedAt");
    return t;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("API token: ") + e.what());
  }
}

Result<WorkspaceSnapshot> SnapshotFromJson(const json& j) {
  try {
    return WorkspaceSnapshot{j.at("name").get<std::string>(), j.at("createdAt").get<std::string>()};
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("snapshot: ") + e.what());
  }
}

Result<Workspace> WorkspaceFromJson(const json& j) {
  try {
    Workspace ws;
    ws.id = j.at("id").get<std::string>();
    ws.name = j.at("name").get<std::string>();
    const auto status = ParseStatus(j.at("status").get<std::string>());
    if (!status) return Status::InvalidArgument("workspace: unknown status " + j["status"].dump());
    ws.status = *status;
    ws.image = j.at("image").get<std::string>();
    ws.status_reason = NullableString(j, "statusReason");
    ws.created_at = j.at("createdAt").get<std::string>();
    ws.updated_at = j.at("updatedAt").get<std::string>();
    if (j.contains("limits")) {
      const json& l = j["limits"];
      ws.limits = {l.at("cpus").get<double>(), l.at("memoryMib").get<int64_t>(),
                   l.at("processes").get<int64_t>(), l.at("diskGib").get<int64_t>()};
    }
    if (j.contains("repository") && j["repository"].is_object()) {
      const json& r = j["repository"];
      WorkspaceSource source;
      source.workspace_id = ws.id;
      source.url = r.at("url").get<std::string>();
      source.ref = NullableString(r, "ref");
      if (r.value("hasToken", false)) source.sealed_token = "";
      source.status = ParseSourceStatus(r.value("status", "")).value_or(SourceStatus::kPending);
      if (r.contains("error") && r["error"].is_object()) {
        source.error_kind = ParseCloneError(r["error"].value("kind", ""));
        source.error = r["error"].value("message", "");
      }
      source.updated_at = r.value("updatedAt", "");
      ws.source = std::move(source);
    }
    // Absent from a server that predates idle stops.
    ws.idle_timeout_seconds = j.value("idleTimeoutSeconds", int64_t{0});
    ws.last_activity_at = NullableString(j, "lastActivityAt");
    ws.idle_stop_at = NullableString(j, "idleStopAt");
    ws.location = NullableString(j, "location").value_or("");  // absent before clusters
    ws.owner = NullableString(j, "owner").value_or("");        // absent before accounts
    return ws;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("workspace: ") + e.what());
  }
}

Result<Port> PortFromJson(const json& j) {
  try {
    Port p;
    p.workspace_id = j.at("workspaceId").get<std::string>();
    p.port = j.at("port").get<int>();
    p.label = NullableString(j, "label");
    p.created_at = j.at("createdAt").get<std::string>();
    return p;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("port: ") + e.what());
  }
}

Result<WorkspacePage> WorkspacePageFromJson(const json& j) {
  if (!j.is_object() || !j.contains("items") || !j["items"].is_array()) {
    return Status::InvalidArgument("workspace list: no items array");
  }
  WorkspacePage page;
  for (const auto& item : j["items"]) {
    RP_ASSIGN_OR_RETURN(auto ws, WorkspaceFromJson(item));
    page.items.push_back(std::move(ws));
  }
  try {
    page.next_cursor = NullableString(j, "nextCursor");
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("workspace list: nextCursor: ") + e.what());
  }
  return page;
}

}  // namespace rockpool::api
