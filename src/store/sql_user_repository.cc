#include "store/sql_user_repository.h"

#include "store/clock.h"

namespace rockpool {
namespace {

constexpr const char* kUserColumns = "username, password_hash, role, disabled, created_at";

Result<std::vector<User>> ReadUsers(sql::Statement& stmt, std::string_view what) {
  std::vector<User> out;
  for (;;) {
    RP_ASSIGN_OR_RETURN(bool row, stmt.Step(what));
    if (!row) return out;
    User u;
    u.username = stmt.Text(0);
    u.password_hash = stmt.Text(1);
    auto role = ParseRole(stmt.Text(2));
    if (!role) {
      return Status::Internal("store: user " + u.username + " has unknown role \"" + stmt.Text(2) +
                              "\"");
    }
    u.role = *role;
    u.disabled = stmt.Int(3) != 0;
    u.created_at = stmt.Text(4);
    out.push_back(std::move(u));
  }
}

std::string NoSuchUser(const std::string& username) {
  return "there is no user \"" + username + "\"; list them with `rockpool user ls`";
}

}  // namespace

Result<User> SqlUserRepository::Insert(const User& user) {
  auto conn = db_.Writer();
  User stored = user;
  stored.created_at = FormatTime(db_.clock().Now());
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("INSERT INTO users (") + kUserColumns +
                                               ") VALUES (?, ?, ?, ?, ?)"));
  stmt->Bind(1, stored.username).Bind(2, stored.password_hash);
  stmt->Bind(3, std::string(RoleName(stored.role))).Bind(4, int64_t{stored.disabled ? 1 : 0});
  stmt->Bind(5, stored.created_at);
  Status st = stmt->Run("insert user \"" + user.username + "\"");
  if (st.code() == Code::kAlreadyExists) {
    return Status::AlreadyExists("user \"" + user.username + "\" already exists");
  }
  RP_RETURN_IF_ERROR(st);
  return stored;
}

Result<std::optional<User>> SqlUserRepository::Find(const std::string& username) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kUserColumns +
                                               " FROM users WHERE username = ?"));
  stmt->Bind(1, username);
  RP_ASSIGN_OR_RETURN(auto rows, ReadUsers(*stmt, "read user \"" + username + "\""));
  if (rows.empty()) return std::optional<User>();
  return std::optional<User>(std::move(rows.front()));
}

Result<std::vector<User>> SqlUserRepository::List() {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kUserColumns +
                                               " FROM users ORDER BY created_at, username"));
  return ReadUsers(*stmt, "list users");
}

Status SqlUserRepository::Update(const User& user) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("UPDATE users SET password_hash = ?, role = ?, "
                                               "disabled = ? WHERE username = ?"));
  stmt->Bind(1, user.password_hash).Bind(2, std::string(RoleName(user.role)));
  stmt->Bind(3, int64_t{user.disabled ? 1 : 0}).Bind(4, user.username);
  RP_RETURN_IF_ERROR(stmt->Run("update user \"" + user.username + "\""));
  if (stmt->Changes() == 0) return Status::NotFound(NoSuchUser(user.username));
  return Status::Ok();
}

Status SqlUserRepository::Delete(const std::string& username) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("DELETE FROM users WHERE username = ?"));
  stmt->Bind(1, username);
  RP_RETURN_IF_ERROR(stmt->Run("delete user \"" + username + "\""));
  if (stmt->Changes() == 0) return Status::NotFound(NoSuchUser(username));
  return Status::Ok();
}

}  // namespace rockpool
