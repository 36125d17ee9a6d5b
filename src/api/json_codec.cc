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

json WorkspaceToJson(const Workspace& ws) {
  return {{"id", ws.id},
          {"name", ws.name},
          {"status", std::string(StatusName(ws.status))},
          {"image", ws.image},
          {"statusReason", OptionalString(ws.status_reason)},
          {"createdAt", ws.created_at},
          {"updatedAt", ws.updated_at},
          {"limits", LimitsToJson(ws.limits)}};
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
