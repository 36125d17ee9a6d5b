// SqlSourceRepository: the SourceRepository on a sql::Database (SQLite or PostgreSQL).
#pragma once

#include "store/source_repository.h"
#include "store/sql.h"

namespace rockpool {

class SqlSourceRepository : public SourceRepository {
 public:
  // `db` must outlive the repository.
  explicit SqlSourceRepository(sql::Database& db) : db_(db) {}

  Result<WorkspaceSource> Insert(const WorkspaceSource& source) override;
  Result<WorkspaceSource> Get(const std::string& workspace_id) override;
  Result<std::vector<WorkspaceSource>> List(const std::vector<std::string>& workspace_ids) override;
  Status SetOutcome(const std::string& workspace_id, SourceStatus status,
                    std::optional<CloneError> error_kind,
                    const std::optional<std::string>& error) override;

 private:
  Result<std::vector<WorkspaceSource>> Query(sql::Statement& stmt, std::string_view what);

  sql::Database& db_;
};

}  // namespace rockpool
