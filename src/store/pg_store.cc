#include "store/pg_store.h"

#include "store/pg_migrations.h"
#include "store/sqlite_store.h"

namespace rockpool {

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url, Clock& clock,
                                               StoreOptions options) {
  RP_ASSIGN_OR_RETURN(auto db, PgConnections::Open(url, clock, options));
  std::unique_ptr<PgStore> store(new PgStore(std::move(db)));
  Status st = options.migrate ? store->Migrate(PgMigrations()) : Status::Ok();
  if (!st.ok()) return st.WithContext("migrate the PostgreSQL database");
  return store;
}

int PgStore::SchemaVersion() { return PgMigrations().back().version; }

bool IsPostgresUrl(std::string_view database) {
  return database.starts_with("postgres://") || database.starts_with("postgresql://");
}

Result<std::unique_ptr<SqlStore>> OpenStore(const std::string& database, Clock& clock,
                                            StoreOptions options) {
  if (IsPostgresUrl(database)) {
    RP_ASSIGN_OR_RETURN(auto store, PgStore::Open(database, clock, options));
    return std::unique_ptr<SqlStore>(std::move(store));
  }
  RP_ASSIGN_OR_RETURN(auto store, SqliteStore::Open(database, clock, options));
  return std::unique_ptr<SqlStore>(std::move(store));
}

}  // namespace rockpool
