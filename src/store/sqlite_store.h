// SqliteStore: the Store on one SQLite file (WAL, foreign keys on, busy timeout), schema kept
// by versioned migrations applied at Open. Its repositories share the file's connections
// (SqliteConnections), and so its transactions.
#pragma once

#include <memory>
#include <string>

#include "store/clock.h"
#include "store/sqlite_connections.h"
#include "store/sqlite_job_repository.h"
#include "store/sqlite_port_repository.h"
#include "store/sqlite_source_repository.h"
#include "store/sqlite_workspace_repository.h"
#include "store/store.h"

namespace rockpool {

class SqliteStore : public Store {
 public:
  // Opens (creating if needed) the database at `path` and migrates it to the latest schema.
  // `clock` must outlive the store.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, Clock& clock,
                                                   SqliteStoreOptions options = {});
  // Latest schema version this build knows.
  static int SchemaVersion();

  Status Transaction(const std::function<Status()>& body) override {
    return db_->Transaction(body);
  }
  WorkspaceRepository& workspaces() override { return workspaces_; }
  PortRepository& ports() override { return ports_; }
  JobRepository& jobs() override { return jobs_; }
  SourceRepository& sources() override { return sources_; }

  // Applied schema version (for tests and `rockpool doctor`).
  Result<int> AppliedSchemaVersion();

 private:
  explicit SqliteStore(std::unique_ptr<SqliteConnections> db)
      : db_(std::move(db)), workspaces_(*db_), ports_(*db_), jobs_(*db_), sources_(*db_) {}
  Status Migrate();

  std::unique_ptr<SqliteConnections> db_;
  SqliteWorkspaceRepository workspaces_;
  SqlitePortRepository ports_;
  SqliteJobRepository jobs_;
  SqliteSourceRepository sources_;
};

}  // namespace rockpool
