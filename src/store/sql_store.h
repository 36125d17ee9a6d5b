// SqlStore: the Store on a sql::Database, its repositories sharing the database's transactions,
// and its schema kept by versioned migrations recorded in schema_migrations. SqliteStore and
// PgStore open it on their engine, each with its own list of migrations; a version number means
// the same schema on both engines.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "store/sql.h"
#include "store/sql_job_repository.h"
#include "store/sql_lease_repository.h"
#include "store/sql_origin_repository.h"
#include "store/sql_port_repository.h"
#include "store/sql_source_repository.h"
#include "store/sql_token_repository.h"
#include "store/sql_user_repository.h"
#include "store/sql_workspace_repository.h"
#include "store/store.h"

namespace rockpool {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

class SqlStore : public Store {
 public:
  Status Transaction(const std::function<Status()>& body) override {
    return db_->Transaction(body);
  }
  WorkspaceRepository& workspaces() override { return workspaces_; }
  PortRepository& ports() override { return ports_; }
  JobRepository& jobs() override { return jobs_; }
  SourceRepository& sources() override { return sources_; }
  LeaseRepository& leases() override { return leases_; }
  TokenRepository& tokens() override { return tokens_; }
  UserRepository& users() override { return users_; }
  OriginRepository& origins() override { return origins_; }

  // Applied schema version (for tests and `rockpool doctor`).
  Result<int> AppliedSchemaVersion();

 protected:
  explicit SqlStore(std::unique_ptr<sql::Database> db)
      : db_(std::move(db)),
        workspaces_(*db_),
        ports_(*db_),
        jobs_(*db_),
        sources_(*db_),
        leases_(*db_),
        tokens_(*db_),
        users_(*db_),
        origins_(*db_) {}
  // Applies those of `migrations` (ordered by version) not applied yet, in one transaction.
  // Refuses a database whose schema is newer than the last of them.
  Status Migrate(const std::vector<Migration>& migrations);
  sql::Database& db() { return *db_; }

 private:
  std::unique_ptr<sql::Database> db_;
  SqlWorkspaceRepository workspaces_;
  SqlPortRepository ports_;
  SqlJobRepository jobs_;
  SqlSourceRepository sources_;
  SqlLeaseRepository leases_;
  SqlTokenRepository tokens_;
  SqlUserRepository users_;
  SqlOriginRepository origins_;
};

}  // namespace rockpool
