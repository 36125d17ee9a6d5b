// PgStore: the Store on a PostgreSQL database (ROCKPOOL_DATABASE_URL), for several
// control-plane processes sharing one database. Its schema is PgMigrations(), applied at Open;
// concurrent Opens from several processes apply it once (migrations run in a write
// transaction, and write transactions run one at a time).
#pragma once

#include <memory>
#include <string>

#include "store/clock.h"
#include "store/pg_connections.h"
#include "store/sql_store.h"

namespace rockpool {

class PgStore : public SqlStore {
 public:
  // Connects to `url` (postgres://user@host/db, or a libpq connection string) and migrates the
  // database to the latest schema. `clock` must outlive the store.
  static Result<std::unique_ptr<PgStore>> Open(const std::string& url, Clock& clock,
                                               StoreOptions options = {});
  static int SchemaVersion();

 private:
  explicit PgStore(std::unique_ptr<PgConnections> db) : SqlStore(std::move(db)) {}
};

// Whether `database` names a PostgreSQL database (a postgres:// or postgresql:// URL) rather
// than a SQLite file.
bool IsPostgresUrl(std::string_view database);

// The Store `database` names: PostgreSQL for a postgres:// URL, else the SQLite file at that
// path.
Result<std::unique_ptr<SqlStore>> OpenStore(const std::string& database, Clock& clock,
                                            StoreOptions options = {});

}  // namespace rockpool
