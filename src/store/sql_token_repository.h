// SqlTokenRepository: the TokenRepository on a sql::Database (SQLite or PostgreSQL).
#pragma once

#include "store/sql.h"
#include "store/token_repository.h"

namespace rockpool {

class SqlTokenRepository : public TokenRepository {
 public:
  // `db` must outlive the repository.
  explicit SqlTokenRepository(sql::Database& db) : db_(db) {}

  Result<ApiToken> Insert(const ApiToken& token) override;
  Result<std::vector<ApiToken>> List(const std::string& username) override;
  Result<std::optional<ApiToken>> FindByDigest(const std::string& digest) override;
  Result<std::optional<ApiToken>> FindById(const std::string& id) override;
  Status Delete(const std::string& username, const std::string& id) override;
  Status DeleteSession(const std::string& username, const std::string& id) override;
  Result<int> DeleteSessions(const std::string& username, const std::string& keep) override;
  Result<int> DeleteStaleSessions(const std::string& expired_at,
                                  const std::string& idle_since) override;
  Status SetLastUsed(const std::string& id, const std::string& at) override;

 private:
  sql::Database& db_;
};

}  // namespace rockpool
