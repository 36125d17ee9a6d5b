#include "store/sqlite_store.h"

#include "store/sqlite_migrations.h"

namespace rockpool {

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, Clock& clock,
                                                       StoreOptions options) {
  RP_ASSIGN_OR_RETURN(auto db, SqliteConnections::Open(path, clock, options));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
  Status st = options.migrate ? store->Migrate(SqliteMigrations()) : Status::Ok();
  if (!st.ok()) return st.WithContext("migrate database " + path);
  return store;
}

int SqliteStore::SchemaVersion() { return SqliteMigrations().back().version; }

}  // namespace rockpool
