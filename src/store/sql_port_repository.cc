#include "store/sql_port_repository.h"

namespace rockpool {
namespace {

constexpr const char* kPortColumns = "workspace_id, port, label, created_at, state";

}  // namespace

Result<Port> SqlPortRepository::Insert(const Port& port) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("INSERT INTO ports (workspace_id, port, label, "
                                               "created_at, state) VALUES (?, ?, ?, ?, ?)"));
  Port stored = port;
  stored.created_at = FormatTime(db_.clock().Now());
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

Result<std::vector<Port>> SqlPortRepository::Query(sql::Statement& stmt, std::string_view what) {
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

Result<std::vector<Port>> SqlPortRepository::List(const std::string& workspace_id) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kPortColumns +
                                               " FROM ports WHERE workspace_id = ? ORDER BY port"));
  stmt->Bind(1, workspace_id);
  return Query(*stmt, "list ports of workspace " + workspace_id);
}

Result<std::vector<Port>> SqlPortRepository::ListPending() {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare(std::string("SELECT ") + kPortColumns +
                                    " FROM ports WHERE state = 'pending' ORDER BY created_at"));
  return Query(*stmt, "list pending ports");
}

Status SqlPortRepository::Change(const char* sql, const std::string& workspace_id, int port,
                                 std::string_view what, std::string_view missing) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(sql));
  stmt->Bind(1, workspace_id).Bind(2, port);
  const std::string object = "port " + std::to_string(port) + " of workspace " + workspace_id;
  RP_RETURN_IF_ERROR(stmt->Run(std::string(what) + " " + object));
  if (stmt->Changes() == 0) return Status::NotFound(object + " " + std::string(missing));
  return Status::Ok();
}

Status SqlPortRepository::Activate(const std::string& workspace_id, int port) {
  return Change(
      "UPDATE ports SET state = 'active' WHERE workspace_id = ?1 AND port = ?2 AND state = "
      "'pending'",
      workspace_id, port, "activate", "is not pending");
}

Status SqlPortRepository::Delete(const std::string& workspace_id, int port) {
  return Change("DELETE FROM ports WHERE workspace_id = ?1 AND port = ?2", workspace_id, port,
                "delete", "is not forwarded");
}

Status SqlPortRepository::DeletePending(const std::string& workspace_id, int port) {
  return Change("DELETE FROM ports WHERE workspace_id = ?1 AND port = ?2 AND state = 'pending'",
                workspace_id, port, "delete pending", "is not pending");
}

}  // namespace rockpool
