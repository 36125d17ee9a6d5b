#include "store/sql_origin_repository.h"

namespace rockpool {
namespace {

constexpr const char* kGrantColumns = "id, digest, kind, session_id, origin_port, expires_at";

// Two processes may pick the same free port at once; the loser picks again.
constexpr int kAssignAttempts = 8;

Result<std::optional<OriginGrant>> ReadGrant(sql::Statement& stmt, std::string_view what) {
  RP_ASSIGN_OR_RETURN(bool row, stmt.Step(what));
  if (!row) return std::optional<OriginGrant>();
  OriginGrant g;
  g.id = stmt.Text(0);
  g.digest = stmt.Text(1);
  g.kind = stmt.Text(2) == "cookie" ? GrantKind::kCookie : GrantKind::kTicket;
  g.session_id = stmt.Text(3);
  g.origin_port = static_cast<int>(stmt.Int(4));
  g.expires_at = stmt.Text(5);
  // Drain the statement: a DELETE ... RETURNING finishes its work on the last step.
  RP_ASSIGN_OR_RETURN(bool more, stmt.Step(what));
  (void)more;
  return std::optional<OriginGrant>(std::move(g));
}

const char* KindText(GrantKind kind) { return kind == GrantKind::kCookie ? "cookie" : "ticket"; }

}  // namespace

Result<std::optional<int>> SqlOriginRepository::Existing(const std::string& workspace_id,
                                                         int forwarded_port) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(
      auto stmt,
      conn->Prepare("SELECT port FROM origins WHERE workspace_id = ? AND forwarded_port = ?"));
  stmt->Bind(1, workspace_id).Bind(2, forwarded_port);
  RP_ASSIGN_OR_RETURN(bool row, stmt->Step("look up the origin of workspace " + workspace_id));
  if (!row) return std::optional<int>();
  return std::optional<int>(static_cast<int>(stmt->Int(0)));
}

Result<std::optional<int>> SqlOriginRepository::LowestFree(int first, int last) {
  auto conn = db_.Reader();
  // `first` itself, or the port after a taken one whose successor is free.
  RP_ASSIGN_OR_RETURN(
      auto stmt,
      conn->Prepare("SELECT MIN(p) FROM (SELECT ? AS p WHERE NOT EXISTS (SELECT 1 FROM origins "
                    "WHERE port = ?) UNION ALL SELECT o.port + 1 AS p FROM origins o WHERE "
                    "o.port >= ? AND o.port < ? AND NOT EXISTS (SELECT 1 FROM origins n WHERE "
                    "n.port = o.port + 1)) AS free"));
  stmt->Bind(1, first).Bind(2, first).Bind(3, first).Bind(4, last);
  RP_ASSIGN_OR_RETURN(bool row, stmt->Step("find a free origin port"));
  if (!row) return std::optional<int>();
  auto port = stmt->OptInt(0);
  if (!port) return std::optional<int>();
  return std::optional<int>(static_cast<int>(*port));
}

Result<int> SqlOriginRepository::Assign(const std::string& workspace_id, int forwarded_port,
                                        int first, int last) {
  for (int attempt = 0; attempt < kAssignAttempts; ++attempt) {
    RP_ASSIGN_OR_RETURN(auto existing, Existing(workspace_id, forwarded_port));
    if (existing) return *existing;
    RP_ASSIGN_OR_RETURN(auto free, LowestFree(first, last));
    if (!free) {
      return Status(Code::kOutOfRange,
                    "every origin port from " + std::to_string(first) + " to " +
                        std::to_string(last) +
                        " is taken; widen ROCKPOOL_ORIGIN_PORTS, or delete workspaces");
    }
    auto conn = db_.Writer();
    RP_ASSIGN_OR_RETURN(auto stmt,
                        conn->Prepare("INSERT INTO origins (port, workspace_id, forwarded_port) "
                                      "VALUES (?, ?, ?) ON CONFLICT DO NOTHING"));
    stmt->Bind(1, *free).Bind(2, workspace_id).Bind(3, forwarded_port);
    RP_RETURN_IF_ERROR(stmt->Run("give workspace " + workspace_id + " an origin"));
    if (stmt->Changes() == 1) return *free;
  }
  return Status::Unavailable("could not give workspace " + workspace_id +
                             " an origin port: other requests kept taking the free ones; retry");
}

Result<std::optional<Origin>> SqlOriginRepository::Find(int port) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(
      auto stmt,
      conn->Prepare("SELECT port, workspace_id, forwarded_port FROM origins WHERE port = ?"));
  stmt->Bind(1, port);
  RP_ASSIGN_OR_RETURN(bool row, stmt->Step("look up origin port " + std::to_string(port)));
  if (!row) return std::optional<Origin>();
  return std::optional<Origin>(
      Origin{static_cast<int>(stmt->Int(0)), stmt->Text(1), static_cast<int>(stmt->Int(2))});
}

Status SqlOriginRepository::InsertGrant(const OriginGrant& grant) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("INSERT INTO origin_grants (") +
                                               kGrantColumns + ") VALUES (?, ?, ?, ?, ?, ?)"));
  stmt->Bind(1, grant.id).Bind(2, grant.digest).Bind(3, KindText(grant.kind));
  stmt->Bind(4, grant.session_id).Bind(5, grant.origin_port).Bind(6, grant.expires_at);
  return stmt->Run("record a grant for origin port " + std::to_string(grant.origin_port));
}

Result<std::optional<OriginGrant>> SqlOriginRepository::TakeTicket(const std::string& digest) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare(std::string("DELETE FROM origin_grants WHERE digest = ? AND "
                                                "kind = 'ticket' RETURNING ") +
                                    kGrantColumns));
  stmt->Bind(1, digest);
  return ReadGrant(*stmt, "redeem an origin ticket");
}

Result<std::optional<OriginGrant>> SqlOriginRepository::FindCookie(const std::string& digest) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kGrantColumns +
                                               " FROM origin_grants WHERE digest = ? AND "
                                               "kind = 'cookie'"));
  stmt->Bind(1, digest);
  return ReadGrant(*stmt, "look up an origin cookie");
}

Result<int> SqlOriginRepository::DeleteExpiredGrants(const std::string& at) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("DELETE FROM origin_grants WHERE expires_at <= ?"));
  stmt->Bind(1, at);
  RP_RETURN_IF_ERROR(stmt->Run("delete the expired origin grants"));
  return static_cast<int>(stmt->Changes());
}

}  // namespace rockpool
