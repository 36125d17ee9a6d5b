// SqlOriginRepository: the OriginRepository on a sql::Database (SQLite or PostgreSQL).
#pragma once

#include "store/origin_repository.h"
#include "store/sql.h"

namespace rockpool {

class SqlOriginRepository : public OriginRepository {
 public:
  // `db` must outlive the repository.
  explicit SqlOriginRepository(sql::Database& db) : db_(db) {}

  Result<int> Assign(const std::string& workspace_id, int forwarded_port, int first,
                     int last) override;
  Result<std::optional<Origin>> Find(int port) override;
  Status InsertGrant(const OriginGrant& grant) override;
  Result<std::optional<OriginGrant>> TakeTicket(const std::string& digest) override;
  Result<std::optional<OriginGrant>> FindCookie(const std::string& digest) override;
  Result<int> DeleteExpiredGrants(const std::string& at) override;

 private:
  // The origin port of (workspace, forwarded port), if it has one.
  Result<std::optional<int>> Existing(const std::string& workspace_id, int forwarded_port);
  // The lowest port of [first, last] that no origin holds, if any.
  Result<std::optional<int>> LowestFree(int first, int last);

  sql::Database& db_;
};

}  // namespace rockpool
