#include "store/sql_source_repository.h"

namespace rockpool {
namespace {

constexpr const char* kSourceColumns =
    "workspace_id, url, ref, username, sealed_token, status, error_kind, error, updated_at";

std::optional<std::string> ErrorKindText(std::optional<CloneError> kind) {
  if (!kind) return std::nullopt;
  return std::string(CloneErrorName(*kind));
}

}  // namespace

Result<std::vector<WorkspaceSource>> SqlSourceRepository::Query(sql::Statement& stmt,
                                                                std::string_view what) {
  std::vector<WorkspaceSource> out;
  for (;;) {
    RP_ASSIGN_OR_RETURN(bool row, stmt.Step(what));
    if (!row) return out;
    WorkspaceSource s;
    s.workspace_id = stmt.Text(0);
    s.url = stmt.Text(1);
    s.ref = stmt.OptText(2);
    s.username = stmt.Text(3);
    s.sealed_token = stmt.OptText(4);
    auto status = ParseSourceStatus(stmt.Text(5));
    if (!status) {
      return Status::Internal("store: the source of workspace " + s.workspace_id +
                              " has unknown status \"" + stmt.Text(5) + "\"");
    }
    s.status = *status;
    if (auto kind = stmt.OptText(6))
      s.error_kind = ParseCloneError(*kind).value_or(CloneError::kOther);
    s.error = stmt.OptText(7);
    s.updated_at = stmt.Text(8);
    out.push_back(std::move(s));
  }
}

Result<WorkspaceSource> SqlSourceRepository::Insert(const WorkspaceSource& source) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(
      auto stmt, conn->Prepare(std::string("INSERT INTO workspace_sources (") + kSourceColumns +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  WorkspaceSource stored = source;
  stored.updated_at = FormatTime(db_.clock().Now());
  stmt->Bind(1, source.workspace_id).Bind(2, source.url).Bind(3, source.ref);
  stmt->Bind(4, source.username).Bind(5, source.sealed_token);
  stmt->Bind(6, SourceStatusName(source.status)).Bind(7, ErrorKindText(source.error_kind));
  stmt->Bind(8, source.error).Bind(9, stored.updated_at);
  Status st = stmt->Run("insert the source of workspace " + source.workspace_id);
  if (st.code() == Code::kAlreadyExists) {
    return Status::AlreadyExists("workspace " + source.workspace_id + " already has a source");
  }
  if (st.code() == Code::kNotFound) {
    return Status::NotFound("workspace " + source.workspace_id + " not found");
  }
  RP_RETURN_IF_ERROR(st);
  return stored;
}

Result<WorkspaceSource> SqlSourceRepository::Get(const std::string& workspace_id) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kSourceColumns +
                                               " FROM workspace_sources WHERE workspace_id = ?"));
  stmt->Bind(1, workspace_id);
  RP_ASSIGN_OR_RETURN(auto rows, Query(*stmt, "read the source of workspace " + workspace_id));
  if (rows.empty()) return Status::NotFound("workspace " + workspace_id + " has no source");
  return std::move(rows.front());
}

Result<std::vector<WorkspaceSource>> SqlSourceRepository::List(
    const std::vector<std::string>& workspace_ids) {
  if (workspace_ids.empty()) return std::vector<WorkspaceSource>();
  std::string sql =
      std::string("SELECT ") + kSourceColumns + " FROM workspace_sources WHERE workspace_id IN (?";
  for (size_t i = 1; i < workspace_ids.size(); ++i) sql += ", ?";
  sql += ")";
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(sql));
  for (size_t i = 0; i < workspace_ids.size(); ++i) {
    stmt->Bind(static_cast<int>(i + 1), workspace_ids[i]);
  }
  return Query(*stmt, "list workspace sources");
}

Status SqlSourceRepository::SetOutcome(const std::string& workspace_id, SourceStatus status,
                                       std::optional<CloneError> error_kind,
                                       const std::optional<std::string>& error) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("UPDATE workspace_sources SET status = ?, "
                                               "error_kind = ?, error = ?, updated_at = ? "
                                               "WHERE workspace_id = ?"));
  stmt->Bind(1, SourceStatusName(status)).Bind(2, ErrorKindText(error_kind)).Bind(3, error);
  stmt->Bind(4, FormatTime(db_.clock().Now())).Bind(5, workspace_id);
  RP_RETURN_IF_ERROR(stmt->Run("record the clone of workspace " + workspace_id));
  if (stmt->Changes() == 0) return Status::NotFound("workspace " + workspace_id + " has no source");
  return Status::Ok();
}

}  // namespace rockpool
