// SqlUserRepository: the UserRepository on a sql::Database (SQLite or PostgreSQL).
#pragma once

#include "store/sql.h"
#include "store/user_repository.h"

namespace rockpool {

class SqlUserRepository : public UserRepository {
 public:
  // `db` must outlive the repository.
  explicit SqlUserRepository(sql::Database& db) : db_(db) {}

  Result<User> Insert(const User& user) override;
  Result<std::optional<User>> Find(const std::string& username) override;
  Result<std::vector<User>> List() override;
  Status Update(const User& user) override;
  Status Delete(const std::string& username) override;

 private:
  sql::Database& db_;
};

}  // namespace rockpool
