// SqlPortRepository: the PortRepository on a sql::Database (SQLite or PostgreSQL).
#pragma once

#include "store/port_repository.h"
#include "store/sql.h"

namespace rockpool {

class SqlPortRepository : public PortRepository {
 public:
  // `db` must outlive the repository.
  explicit SqlPortRepository(sql::Database& db) : db_(db) {}

  Result<Port> Insert(const Port& port) override;
  Result<std::vector<Port>> List(const std::string& workspace_id) override;
  Result<std::vector<Port>> ListPending() override;
  Status Activate(const std::string& workspace_id, int port) override;
  Status Delete(const std::string& workspace_id, int port) override;
  Status DeletePending(const std::string& workspace_id, int port) override;

 private:
  Result<std::vector<Port>> Query(sql::Statement& stmt, std::string_view what);
  // Runs an UPDATE or DELETE bound to (workspace_id, port) as ?1, ?2; NotFound naming
  // `missing` when it changed no row.
  Status Change(const char* sql, const std::string& workspace_id, int port, std::string_view what,
                std::string_view missing);

  sql::Database& db_;
};

}  // namespace rockpool
