#include "store/sqlite_store.h"

#include <spdlog/spdlog.h>

#include "store/cursor.h"
#include "store/sqlite_migrations.h"

namespace rockpool {
namespace {

constexpr const char* kPortColumns = "workspace_id, port, label, created_at, state";

constexpr const char* kWorkspaceColumns =
    "id, name, status, image, status_reason, created_at, updated_at, limit_cpus, "
    "limit_memory_mib, limit_processes, limit_disk_gib";

// A rollback fails mostly because SQLite already rolled the transaction back after the error
// that ended it (a full disk, an I/O error): nothing of it was committed either way.
void LogFailedRollback(const Status& st) {
  if (!st.ok()) {
    spdlog::warn("store: {} (SQLite may have rolled it back already); nothing of it is committed",
                 st.ToString());
  }
}

}  // namespace

Result<std::unique_ptr<sqlite::Connection>> SqliteStore::Connect(
    const std::string& path, const SqliteStoreOptions& options) {
  RP_ASSIGN_OR_RETURN(auto conn, sqlite::Connection::Open(path));
  sqlite3_busy_timeout(conn->raw(), static_cast<int>(options.busy_timeout.count()));
  RP_RETURN_IF_ERROR(conn->Exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
      "configure database " + path));
  return conn;
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, Clock& clock,
                                                       SqliteStoreOptions options) {
  RP_ASSIGN_OR_RETURN(auto conn, Connect(path, options));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(conn), clock, path, options));
  Status st = store->Migrate();
  if (!st.ok()) return st.WithContext("migrate database " + path);
  return store;
}

SqliteStore::ConnRef::ConnRef(SqliteStore& store, bool read) : store_(store) {
  if (read && store.txn_owner_.load() != std::this_thread::get_id()) {
    reader_ = store.TakeReader();
    if (reader_) {
      conn_ = reader_.get();
      return;
    }
  }
  lock_ = std::unique_lock(store.mu_);
  conn_ = store.conn_.get();
}

SqliteStore::ConnRef::~ConnRef() {
  if (reader_) store_.ReturnReader(std::move(reader_));
}

std::unique_ptr<sqlite::Connection> SqliteStore::TakeReader() {
  {
    std::lock_guard lock(pool_mu_);
    if (!readers_.empty()) {
      auto reader = std::move(readers_.back());
      readers_.pop_back();
      return reader;
    }
  }
  auto reader = Connect(path_, options_);
  return reader.ok() ? std::move(reader).value() : nullptr;  // null: use the writer
}

void SqliteStore::ReturnReader(std::unique_ptr<sqlite::Connection> reader) {
  std::lock_guard lock(pool_mu_);
  readers_.push_back(std::move(reader));
}

int SqliteStore::SchemaVersion() { return SqliteMigrations().back().version; }

Status SqliteStore::Migrate() {
  return Transaction([&]() -> Status {
    RP_RETURN_IF_ERROR(
        conn_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                    "description TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT",
                    "create schema_migrations"));
    RP_ASSIGN_OR_RETURN(int applied, AppliedSchemaVersion());
    if (applied > SchemaVersion()) {
      return Status::Internal("database schema version " + std::to_string(applied) +
                              " is newer than this build knows (" +
                              std::to_string(SchemaVersion()) + "); upgrade Rockpool");
    }
    for (const Migration& m : SqliteMigrations()) {
      if (m.version <= applied) continue;
      const std::string what = "apply migration " + std::to_string(m.version);
      RP_RETURN_IF_ERROR(conn_->Exec(m.sql, what));
      RP_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare("INSERT INTO schema_migrations (version, "
                                                    "description, applied_at) VALUES (?, ?, ?)"));
      stmt->Bind(1, m.version).Bind(2, m.description).Bind(3, FormatTime(clock_.Now()));
      RP_RETURN_IF_ERROR(stmt->Run(what));
    }
    return Status::Ok();
  });
}

Result<int> SqliteStore::AppliedSchemaVersion() {
  auto conn = Reader();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  RP_ASSIGN_OR_RETURN(bool row, stmt->Step("read schema version"));
  return row ? static_cast<int>(stmt->Int(0)) : 0;
}

Status SqliteStore::Transaction(const std::function<Status()>& body) {
  std::lock_guard lock(mu_);
  if (in_transaction_) {
    // Nested: a savepoint, so a failing inner body undoes only its own writes.
    RP_RETURN_IF_ERROR(conn_->Exec("SAVEPOINT nested", "begin nested transaction"));
    Status st = body();
    if (!st.ok())
      LogFailedRollback(conn_->Exec("ROLLBACK TO nested", "roll back nested transaction"));
    Status released = conn_->Exec("RELEASE nested", "end nested transaction");
    return st.ok() ? released : st;
  }
  RP_RETURN_IF_ERROR(conn_->Exec("BEGIN IMMEDIATE", "begin transaction"));
  in_transaction_ = true;
  txn_owner_ = std::this_thread::get_id();
  Status st = body();
  txn_owner_ = std::thread::id();
  in_transaction_ = false;
  if (st.ok()) {
    st = conn_->Exec("COMMIT", "commit transaction");
    if (st.ok()) return st;
  }
  LogFailedRollback(conn_->Exec("ROLLBACK", "roll back transaction"));
  return st;
}

Result<std::vector<Workspace>> SqliteStore::QueryWorkspaces(sqlite::Statement& stmt,
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
    const WorkspaceLimits& d = options_.default_limits;
    ws.limits = {stmt.OptReal(7).value_or(d.cpus), stmt.OptInt(8).value_or(d.memory_mib),
                 stmt.OptInt(9).value_or(d.processes), stmt.OptInt(10).value_or(d.disk_gib)};
    out.push_back(std::move(ws));
  }
}

Result<Workspace> SqliteStore::InsertWorkspace(const Workspace& ws) {
  auto conn = Writer();
  const std::string now = FormatTime(clock_.Now());
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("INSERT INTO workspaces (id, name, status, image, "
                                               "status_reason, created_at, updated_at, limit_cpus, "
                                               "limit_memory_mib, limit_processes, limit_disk_gib) "
                                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt->Bind(1, ws.id).Bind(2, ws.name).Bind(3, StatusName(ws.status)).Bind(4, ws.image);
  stmt->Bind(5, ws.status_reason).Bind(6, now).Bind(7, now);
  stmt->Bind(8, ws.limits.cpus).Bind(9, ws.limits.memory_mib).Bind(10, ws.limits.processes);
  stmt->Bind(11, ws.limits.disk_gib);
  Status st = stmt->Run("insert workspace \"" + ws.name + "\"");
  if (st.code() == Code::kAlreadyExists) {
    return Status::AlreadyExists("workspace \"" + ws.name + "\" already exists");
  }
  RP_RETURN_IF_ERROR(st);
  Workspace stored = ws;
  stored.created_at = now;
  stored.updated_at = now;
  return stored;
}

Result<Workspace> SqliteStore::GetWorkspaceWhere(const char* column, const std::string& value) {
  auto conn = Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kWorkspaceColumns +
                                               " FROM workspaces WHERE " + column + " = ?"));
  stmt->Bind(1, value);
  RP_ASSIGN_OR_RETURN(auto rows, QueryWorkspaces(*stmt, "read workspace \"" + value + "\""));
  if (rows.empty()) return Status::NotFound("workspace \"" + value + "\" not found");
  return std::move(rows.front());
}

Result<Workspace> SqliteStore::GetWorkspace(const std::string& id) {
  return GetWorkspaceWhere("id", id);
}

Result<Workspace> SqliteStore::GetWorkspaceByName(const std::string& name) {
  return GetWorkspaceWhere("name", name);
}

Result<WorkspacePage> SqliteStore::ListWorkspaces(int limit,
                                                  const std::optional<std::string>& cursor) {
  std::optional<CursorKey> after;
  if (cursor) {
    after = DecodeCursor(*cursor);
    if (!after) {
      return Status::InvalidArgument("invalid cursor \"" + cursor->substr(0, 64) +
                                     "\": pass the nextCursor of a previous page");
    }
  }
  auto conn = Reader();
  std::string sql = std::string("SELECT ") + kWorkspaceColumns + " FROM workspaces";
  if (after) sql += " WHERE (created_at, id) > (?2, ?3)";
  sql += " ORDER BY created_at, id LIMIT ?1";
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(sql));
  stmt->Bind(1, limit + 1);
  if (after) stmt->Bind(2, after->created_at).Bind(3, after->id);
  RP_ASSIGN_OR_RETURN(auto rows, QueryWorkspaces(*stmt, "list workspaces"));
  WorkspacePage page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(static_cast<size_t>(limit));
    page.next_cursor = EncodeCursor({rows.back().created_at, rows.back().id});
  }
  page.items = std::move(rows);
  return page;
}

Result<int64_t> SqliteStore::WorkspacesRevision() {
  auto conn = Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("SELECT revision FROM workspaces_revision"));
  RP_ASSIGN_OR_RETURN(bool row, stmt->Step("read workspaces revision"));
  if (!row) return Status::Internal("store: workspaces_revision has no row");
  return stmt->Int(0);
}

Result<std::vector<Workspace>> SqliteStore::ListAllWorkspaces() {
  auto conn = Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kWorkspaceColumns +
                                               " FROM workspaces ORDER BY created_at, id"));
  return QueryWorkspaces(*stmt, "list all workspaces");
}

Status SqliteStore::UpdateWorkspaceStatus(const std::string& id, WorkspaceStatus status,
                                          const std::optional<std::string>& reason) {
  auto conn = Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("UPDATE workspaces SET status = ?, "
                                               "status_reason = ?, updated_at = ? WHERE id = ?"));
  stmt->Bind(1, StatusName(status)).Bind(2, reason).Bind(3, FormatTime(clock_.Now())).Bind(4, id);
  const std::string what = "set workspace " + id + " " + std::string(StatusName(status));
  RP_RETURN_IF_ERROR(stmt->Run(what));
  if (stmt->Changes() == 0) return Status::NotFound("workspace " + id + " not found");
  return Status::Ok();
}

Status SqliteStore::DeleteWorkspace(const std::string& id) {
  auto conn = Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("DELETE FROM workspaces WHERE id = ?"));
  stmt->Bind(1, id);
  RP_RETURN_IF_ERROR(stmt->Run("delete workspace " + id));
  if (stmt->Changes() == 0) return Status::NotFound("workspace " + id + " not found");
  return Status::Ok();
}

Result<std::map<WorkspaceStatus, int>> SqliteStore::CountWorkspacesByStatus() {
  auto conn = Reader();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare("SELECT status, count(*) FROM workspaces GROUP BY status"));
  std::map<WorkspaceStatus, int> counts;
  for (;;) {
    RP_ASSIGN_OR_RETURN(bool row, stmt->Step("count workspaces by status"));
    if (!row) return counts;
    if (auto s = ParseStatus(stmt->Text(0))) counts[*s] = static_cast<int>(stmt->Int(1));
  }
}

Result<Port> SqliteStore::InsertPort(const Port& port) {
  auto conn = Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("INSERT INTO ports (workspace_id, port, label, "
                                               "created_at, state) VALUES (?, ?, ?, ?, ?)"));
  Port stored = port;
  stored.created_at = FormatTime(clock_.Now());
  stmt->Bind(1, port.workspace_id).Bind(2, port.port).Bind(3, port.label);
  stmt->Bind(4, stored.created_at).Bind(5, PortStateName(port.state));
  const std::string what =
      "insert port " + std::to_string(port.port) + " of workspace " + port.workspace_id;
  Status st = stmt->Run(what);
  if (st.code() == Code::kAlreadyExists) {
    return Status::AlreadyExists("port " + std::to_string(port.port) +
                                 " is already forwarded for workspace " + port.workspace_id);
  }
  if (st.code() == Code::kNotFound) {
    return Status::NotFound("workspace " + port.workspace_id + " not found");
  }
  RP_RETURN_IF_ERROR(st);
  return stored;
}

Result<std::vector<Port>> SqliteStore::QueryPorts(sqlite::Statement& stmt, std::string_view what) {
  std::vector<Port> out;
  for (;;) {
    RP_ASSIGN_OR_RETURN(bool row, stmt.Step(what));
    if (!row) return out;
    auto state = ParsePortState(stmt.Text(4));
    if (!state) {
      return Status::Internal("store: port " + std::to_string(stmt.Int(1)) + " of workspace " +
                              stmt.Text(0) + " has unknown state \"" + stmt.Text(4) + "\"");
    }
    out.push_back(
        Port{stmt.Text(0), static_cast<int>(stmt.Int(1)), stmt.OptText(2), stmt.Text(3), *state});
  }
}

Result<std::vector<Port>> SqliteStore::ListPorts(const std::string& workspace_id) {
  auto conn = Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kPortColumns +
                                               " FROM ports WHERE workspace_id = ? ORDER BY port"));
  stmt->Bind(1, workspace_id);
  return QueryPorts(*stmt, "list ports of workspace " + workspace_id);
}

Result<std::vector<Port>> SqliteStore::ListPendingPorts() {
  auto conn = Reader();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare(std::string("SELECT ") + kPortColumns +
                                    " FROM ports WHERE state = 'pending' ORDER BY created_at"));
  return QueryPorts(*stmt, "list pending ports");
}

Status SqliteStore::ChangePort(const char* sql, const std::string& workspace_id, int port,
                               std::string_view what, std::string_view missing) {
  auto conn = Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(sql));
  stmt->Bind(1, workspace_id).Bind(2, port);
  const std::string object = "port " + std::to_string(port) + " of workspace " + workspace_id;
  RP_RETURN_IF_ERROR(stmt->Run(std::string(what) + " " + object));
  if (stmt->Changes() == 0) return Status::NotFound(object + " " + std::string(missing));
  return Status::Ok();
}

Status SqliteStore::ActivatePort(const std::string& workspace_id, int port) {
  return ChangePort(
      "UPDATE ports SET state = 'active' WHERE workspace_id = ?1 AND port = ?2 AND state = "
      "'pending'",
      workspace_id, port, "activate", "is not pending");
}

Status SqliteStore::DeletePort(const std::string& workspace_id, int port) {
  return ChangePort("DELETE FROM ports WHERE workspace_id = ?1 AND port = ?2", workspace_id, port,
                    "delete", "is not forwarded");
}

Status SqliteStore::DeletePendingPort(const std::string& workspace_id, int port) {
  return ChangePort("DELETE FROM ports WHERE workspace_id = ?1 AND port = ?2 AND state = 'pending'",
                    workspace_id, port, "delete pending", "is not pending");
}

}  // namespace rockpool
