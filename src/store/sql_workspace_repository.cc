#include "store/sql_workspace_repository.h"

#include "store/cursor.h"

namespace rockpool {
namespace {

constexpr const char* kWorkspaceColumns =
    "id, name, status, image, status_reason, created_at, updated_at, limit_cpus, "
    "limit_memory_mib, limit_processes, limit_disk_gib, idle_timeout_seconds, last_activity_at, "
    "location, owner";

std::optional<std::string> IdleStopAt(const Workspace& ws) {
  if (ws.status != WorkspaceStatus::kRunning || ws.idle_timeout_seconds <= 0) return std::nullopt;
  if (!ws.last_activity_at) return std::nullopt;
  auto last = ParseTime(*ws.last_activity_at);
  if (!last) return std::nullopt;
  return FormatTime(*last + std::chrono::seconds(ws.idle_timeout_seconds));
}

}  // namespace

Result<std::vector<Workspace>> SqlWorkspaceRepository::Query(sql::Statement& stmt,
                                                             std::string_view what) {
  std::vector<Workspace> out;
  for (;;) {
    RP_ASSIGN_OR_RETURN(bool row, stmt.Step(what));
    if (!row) return out;
    Workspace ws;
    ws.id = stmt.Text(0);
    ws.name = stmt.Text(1);
    auto status = ParseStatus(stmt.Text(2));
    if (!status) {
      return Status::Internal("store: workspace " + ws.name + " has unknown status \"" +
                              stmt.Text(2) + "\"");
    }
    ws.status = *status;
    ws.image = stmt.Text(3);
    ws.status_reason = stmt.OptText(4);
    ws.created_at = stmt.Text(5);
    ws.updated_at = stmt.Text(6);
    const WorkspaceLimits& d = db_.options().default_limits;
    ws.limits = {stmt.OptReal(7).value_or(d.cpus), stmt.OptInt(8).value_or(d.memory_mib),
                 stmt.OptInt(9).value_or(d.processes), stmt.OptInt(10).value_or(d.disk_gib)};
    ws.idle_timeout_seconds = stmt.OptInt(11).value_or(db_.options().default_idle_timeout_seconds);
    ws.last_activity_at = stmt.OptText(12);
    ws.idle_stop_at = IdleStopAt(ws);
    ws.location = stmt.OptText(13).value_or("");
    ws.owner = stmt.OptText(14).value_or("");
    out.push_back(std::move(ws));
  }
}

Result<Workspace> SqlWorkspaceRepository::Insert(const Workspace& ws) {
  auto conn = db_.Writer();
  const std::string now = FormatTime(db_.clock().Now());
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare("INSERT INTO workspaces (id, name, status, image, "
                                    "status_reason, created_at, updated_at, limit_cpus, "
                                    "limit_memory_mib, limit_processes, limit_disk_gib, owner) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt->Bind(1, ws.id).Bind(2, ws.name).Bind(3, StatusName(ws.status)).Bind(4, ws.image);
  stmt->Bind(5, ws.status_reason).Bind(6, now).Bind(7, now);
  stmt->Bind(8, ws.limits.cpus).Bind(9, ws.limits.memory_mib).Bind(10, ws.limits.processes);
  stmt->Bind(11, ws.limits.disk_gib);
  stmt->Bind(12, ws.owner.empty() ? std::optional<std::string>() : ws.owner);
  Status st = stmt->Run("insert workspace \"" + ws.name + "\"");
  if (st.code() == Code::kAlreadyExists) {
    return Status::AlreadyExists("workspace \"" + ws.name + "\" already exists");
  }
  RP_RETURN_IF_ERROR(st);
  Workspace stored = ws;
  stored.created_at = now;
  stored.updated_at = now;
  stored.idle_timeout_seconds = db_.options().default_idle_timeout_seconds;
  stored.last_activity_at.reset();
  return stored;
}

Result<Workspace> SqlWorkspaceRepository::GetWhere(const char* column, const std::string& value) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kWorkspaceColumns +
                                               " FROM workspaces WHERE " + column + " = ?"));
  stmt->Bind(1, value);
  RP_ASSIGN_OR_RETURN(auto rows, Query(*stmt, "read workspace \"" + value + "\""));
  if (rows.empty()) return Status::NotFound("workspace \"" + value + "\" not found");
  return std::move(rows.front());
}

Result<Workspace> SqlWorkspaceRepository::Get(const std::string& id) { return GetWhere("id", id); }

Result<Workspace> SqlWorkspaceRepository::GetByName(const std::string& name) {
  return GetWhere("name", name);
}

Result<WorkspacePage> SqlWorkspaceRepository::List(int limit,
                                                   const std::optional<std::string>& cursor,
                                                   const std::optional<std::string>& owner) {
  std::optional<CursorKey> after;
  if (cursor) {
    after = DecodeCursor(*cursor);
    if (!after) {
      return Status::InvalidArgument("invalid cursor \"" + cursor->substr(0, 64) +
                                     "\": pass the nextCursor of a previous page");
    }
  }
  auto conn = db_.Reader();
  std::string sql = std::string("SELECT ") + kWorkspaceColumns + " FROM workspaces";
  // Parameters numbered in order of use: PostgreSQL takes no gaps.
  if (owner) sql += " WHERE owner = ?";
  if (after) sql += std::string(owner ? " AND" : " WHERE") + " (created_at, id) > (?, ?)";
  sql += " ORDER BY created_at, id LIMIT ?";
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(sql));
  int next = 1;
  if (owner) stmt->Bind(next++, *owner);
  if (after) {
    stmt->Bind(next, after->created_at).Bind(next + 1, after->id);
    next += 2;
  }
  stmt->Bind(next, limit + 1);
  RP_ASSIGN_OR_RETURN(auto rows, Query(*stmt, "list workspaces"));
  WorkspacePage page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(static_cast<size_t>(limit));
    page.next_cursor = EncodeCursor({rows.back().created_at, rows.back().id});
  }
  page.items = std::move(rows);
  return page;
}

Result<int64_t> SqlWorkspaceRepository::Revision() {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("SELECT revision FROM workspaces_revision"));
  RP_ASSIGN_OR_RETURN(bool row, stmt->Step("read workspaces revision"));
  if (!row) return Status::Internal("store: workspaces_revision has no row");
  return stmt->Int(0);
}

Result<std::vector<Workspace>> SqlWorkspaceRepository::ListAll() {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kWorkspaceColumns +
                                               " FROM workspaces ORDER BY created_at, id"));
  return Query(*stmt, "list all workspaces");
}

// A workspace that becomes running has just had activity: its start.
Status SqlWorkspaceRepository::UpdateStatus(const std::string& id, WorkspaceStatus status,
                                            const std::optional<std::string>& reason) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare("UPDATE workspaces SET status = ?1, status_reason = ?2, "
                                    "updated_at = ?3, last_activity_at = CASE WHEN ?1 = 'running' "
                                    "THEN ?3 ELSE last_activity_at END WHERE id = ?4"));
  stmt->Bind(1, StatusName(status))
      .Bind(2, reason)
      .Bind(3, FormatTime(db_.clock().Now()))
      .Bind(4, id);
  const std::string what = "set workspace " + id + " " + std::string(StatusName(status));
  RP_RETURN_IF_ERROR(stmt->Run(what));
  if (stmt->Changes() == 0) return Status::NotFound("workspace " + id + " not found");
  return Status::Ok();
}

Status SqlWorkspaceRepository::SetIdleTimeout(const std::string& id,
                                              std::optional<int64_t> seconds) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("UPDATE workspaces SET idle_timeout_seconds = ?, "
                                               "updated_at = ? WHERE id = ?"));
  stmt->Bind(1, seconds).Bind(2, FormatTime(db_.clock().Now())).Bind(3, id);
  RP_RETURN_IF_ERROR(stmt->Run("set idle timeout of workspace " + id));
  if (stmt->Changes() == 0) return Status::NotFound("workspace " + id + " not found");
  return Status::Ok();
}

Status SqlWorkspaceRepository::SetLocation(const std::string& id, const std::string& location) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("UPDATE workspaces SET location = ? WHERE id = ?"));
  stmt->Bind(1, location.empty() ? std::optional<std::string>() : location).Bind(2, id);
  RP_RETURN_IF_ERROR(stmt->Run("set location of workspace " + id));
  if (stmt->Changes() == 0) return Status::NotFound("workspace " + id + " not found");
  return Status::Ok();
}

// The text form sorts in time order (FormatTime), so the greater text is the later time.
Status SqlWorkspaceRepository::RecordActivity(const std::string& id, TimePoint at) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("UPDATE workspaces SET last_activity_at = CASE WHEN "
                                               "last_activity_at IS NULL OR last_activity_at < ?1 "
                                               "THEN ?1 ELSE last_activity_at END WHERE id = ?2"));
  stmt->Bind(1, FormatTime(at)).Bind(2, id);
  RP_RETURN_IF_ERROR(stmt->Run("record activity of workspace " + id));
  if (stmt->Changes() == 0) return Status::NotFound("workspace " + id + " not found");
  return Status::Ok();
}

Status SqlWorkspaceRepository::Delete(const std::string& id) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("DELETE FROM workspaces WHERE id = ?"));
  stmt->Bind(1, id);
  RP_RETURN_IF_ERROR(stmt->Run("delete workspace " + id));
  if (stmt->Changes() == 0) return Status::NotFound("workspace " + id + " not found");
  return Status::Ok();
}

Result<std::map<WorkspaceStatus, int>> SqlWorkspaceRepository::CountByStatus() {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare("SELECT status, count(*) FROM workspaces GROUP BY status"));
  std::map<WorkspaceStatus, int> counts;
  for (;;) {
    RP_ASSIGN_OR_RETURN(bool row, stmt->Step("count workspaces by status"));
    if (!row) return counts;
    if (auto s = ParseStatus(stmt->Text(0))) counts[*s] = static_cast<int>(stmt->Int(1));
  }
}

}  // namespace rockpool
