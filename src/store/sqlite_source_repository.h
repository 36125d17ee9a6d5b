// SqliteSourceRepository: the SourceRepository on a SqliteStore's connections.
#pragma once

#include "store/source_repository.h"
#include "store/sqlite_connections.h"

namespace rockpool {

class SqliteSourceRepository : public SourceRepository {
 public:
  // `db` must outlive the repository.
  explicit SqliteSourceRepository(SqliteConnections& db) : db_(db) {}

  Result<WorkspaceSource> Insert(const WorkspaceSource& source) override;
  Result<WorkspaceSource> Get(const std::string& workspace_id) override;
  Result<std::vector<WorkspaceSource>> List(const std::vector<std::string>& workspace_ids) override;
  Status SetOutcome(const std::string& workspace_id, SourceStatus status,
                    std::optional<CloneError> error_kind,
                    const std::optional<std::string>& error) override;

 private:
  Result<std::vector<WorkspaceSource>> Query(sqlite::Statement& stmt, std::string_view what);

  SqliteConnections& db_;
};

}  // namespace rockpool
