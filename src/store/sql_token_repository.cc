#include "store/sql_token_repository.h"

namespace rockpool {
namespace {

constexpr const char* kTokenColumns =
    "id, username, name, digest, created_at, expires_at, last_used_at, kind, binding";

const char* KindText(CredentialKind kind) {
  return kind == CredentialKind::kSession ? "session" : "token";
}

Result<std::vector<ApiToken>> ReadTokens(sql::Statement& stmt, std::string_view what) {
  std::vector<ApiToken> out;
  for (;;) {
    RP_ASSIGN_OR_RETURN(bool row, stmt.Step(what));
    if (!row) return out;
    ApiToken t;
    t.id = stmt.Text(0);
    t.username = stmt.Text(1);
    t.name = stmt.Text(2);
    t.digest = stmt.Text(3);
    t.created_at = stmt.Text(4);
    t.expires_at = stmt.OptText(5);
    t.last_used_at = stmt.OptText(6);
    t.kind = stmt.Text(7) == "session" ? CredentialKind::kSession : CredentialKind::kToken;
    t.binding = stmt.OptText(8);
    out.push_back(std::move(t));
  }
}

}  // namespace

Result<ApiToken> SqlTokenRepository::Insert(const ApiToken& token) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare(std::string("INSERT INTO api_tokens (") + kTokenColumns +
                                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt->Bind(1, token.id).Bind(2, token.username).Bind(3, token.name).Bind(4, token.digest);
  stmt->Bind(5, token.created_at).Bind(6, token.expires_at).Bind(7, token.last_used_at);
  stmt->Bind(8, KindText(token.kind)).Bind(9, token.binding);
  Status st = stmt->Run("insert API token \"" + token.name + "\"");
  if (st.code() == Code::kAlreadyExists) {
    return Status::AlreadyExists("user " + token.username + " already has a token named \"" +
                                 token.name + "\"; pick another name, or revoke that one first");
  }
  RP_RETURN_IF_ERROR(st);
  return token;
}

Result<std::vector<ApiToken>> SqlTokenRepository::List(const std::string& username) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare(std::string("SELECT ") + kTokenColumns +
                                    " FROM api_tokens WHERE username = ? AND kind = 'token' "
                                    "ORDER BY created_at, id"));
  stmt->Bind(1, username);
  return ReadTokens(*stmt, "list the API tokens of " + username);
}

Result<std::optional<ApiToken>> SqlTokenRepository::FindByDigest(const std::string& digest) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kTokenColumns +
                                               " FROM api_tokens WHERE digest = ?"));
  stmt->Bind(1, digest);
  RP_ASSIGN_OR_RETURN(auto rows, ReadTokens(*stmt, "look up an API token"));
  if (rows.empty()) return std::optional<ApiToken>();
  return std::optional<ApiToken>(std::move(rows.front()));
}

Result<std::optional<ApiToken>> SqlTokenRepository::FindById(const std::string& id) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kTokenColumns +
                                               " FROM api_tokens WHERE id = ?"));
  stmt->Bind(1, id);
  RP_ASSIGN_OR_RETURN(auto rows, ReadTokens(*stmt, "look up session " + id));
  if (rows.empty()) return std::optional<ApiToken>();
  return std::optional<ApiToken>(std::move(rows.front()));
}

Status SqlTokenRepository::Delete(const std::string& username, const std::string& id) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(
      auto stmt,
      conn->Prepare("DELETE FROM api_tokens WHERE username = ? AND id = ? AND kind = 'token'"));
  stmt->Bind(1, username).Bind(2, id);
  RP_RETURN_IF_ERROR(stmt->Run("revoke API token " + id));
  if (stmt->Changes() == 0) {
    return Status::NotFound("user " + username + " has no API token " + id +
                            "; list them with `rockpool token list`");
  }
  return Status::Ok();
}

Status SqlTokenRepository::DeleteSession(const std::string& username, const std::string& id) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(
      auto stmt,
      conn->Prepare("DELETE FROM api_tokens WHERE username = ? AND id = ? AND kind = 'session'"));
  stmt->Bind(1, username).Bind(2, id);
  return stmt->Run("end session " + id);
}

Result<int> SqlTokenRepository::DeleteSessions(const std::string& username,
                                               const std::string& keep) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("DELETE FROM api_tokens WHERE username = ? AND "
                                               "kind = 'session' AND id <> ?"));
  stmt->Bind(1, username).Bind(2, keep);
  RP_RETURN_IF_ERROR(stmt->Run("end the sessions of " + username));
  return static_cast<int>(stmt->Changes());
}

Result<int> SqlTokenRepository::DeleteStaleSessions(const std::string& expired_at,
                                                    const std::string& idle_since) {
  auto conn = db_.Writer();
  // The times share one fixed-width format, so they compare as text.
  RP_ASSIGN_OR_RETURN(
      auto stmt,
      conn->Prepare("DELETE FROM api_tokens WHERE kind = 'session' AND (expires_at <= ? OR "
                    "COALESCE(last_used_at, created_at) <= ?)"));
  stmt->Bind(1, expired_at).Bind(2, idle_since);
  RP_RETURN_IF_ERROR(stmt->Run("delete the sessions that ended"));
  return static_cast<int>(stmt->Changes());
}

Status SqlTokenRepository::SetLastUsed(const std::string& id, const std::string& at) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?"));
  stmt->Bind(1, at).Bind(2, id);
  return stmt->Run("record the use of API token " + id);
}

}  // namespace rockpool
