// SqlLeaseRepository: the LeaseRepository on a sql::Database (SQLite or PostgreSQL).
#pragma once

#include "store/lease_repository.h"
#include "store/sql.h"

namespace rockpool {

class SqlLeaseRepository : public LeaseRepository {
 public:
  // `db` must outlive the repository.
  explicit SqlLeaseRepository(sql::Database& db) : db_(db) {}

  Result<bool> Acquire(const std::string& name, const std::string& holder,
                       std::chrono::milliseconds ttl) override;
  Status Release(const std::string& name, const std::string& holder) override;
  Result<std::optional<Lease>> Get(const std::string& name) override;

 private:
  sql::Database& db_;
};

}  // namespace rockpool
