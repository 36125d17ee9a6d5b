// SqlWorkspaceRepository: the WorkspaceRepository on a sql::Database (SQLite or PostgreSQL).
#pragma once

#include "store/sql.h"
#include "store/workspace_repository.h"

namespace rockpool {

class SqlWorkspaceRepository : public WorkspaceRepository {
 public:
  // `db` must outlive the repository.
  explicit SqlWorkspaceRepository(sql::Database& db) : db_(db) {}

  Result<Workspace> Insert(const Workspace& ws) override;
  Result<Workspace> Get(const std::string& id) override;
  Result<Workspace> GetByName(const std::string& name) override;
  Result<WorkspacePage> List(int limit, const std::optional<std::string>& cursor,
                             const std::optional<std::string>& owner) override;
  Result<std::vector<Workspace>> ListAll() override;
  Status UpdateStatus(const std::string& id, WorkspaceStatus status,
                      const std::optional<std::string>& reason) override;
  Status SetIdleTimeout(const std::string& id, std::optional<int64_t> seconds) override;
  Status SetLocation(const std::string& id, const std::string& location) override;
  Status RecordActivity(const std::string& id, TimePoint at) override;
  Status Delete(const std::string& id) override;
  Result<std::map<WorkspaceStatus, int>> CountByStatus() override;
  Result<int64_t> Revision() override;

 private:
  Result<std::vector<Workspace>> Query(sql::Statement& stmt, std::string_view what);
  Result<Workspace> GetWhere(const char* column, const std::string& value);

  sql::Database& db_;
};

}  // namespace rockpool
