// SqliteStore: the Store on one SQLite file (WAL, foreign keys on, busy timeout), the embedded
// default. Its schema is SqliteMigrations(), applied at Open.
#pragma once

#include <memory>
#include <string>

#include "store/clock.h"
#include "store/sql_store.h"
#include "store/sqlite_connections.h"

namespace rockpool {

class SqliteStore : public SqlStore {
 public:
  // Opens (creating if needed) the database at `path` and migrates it to the latest schema.
  // `clock` must outlive the store.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, Clock& clock,
                                                   StoreOptions options = {});
  // Latest schema version this build knows.
  static int SchemaVersion();

 private:
  explicit SqliteStore(std::unique_ptr<SqliteConnections> db) : SqlStore(std::move(db)) {}
};

}  // namespace rockpool
