#include "store/sqlite_store.h"

#include "store/sqlite_migrations.h"

namespace rockpool {

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, Clock& clock,
                                                       SqliteStoreOptions options) {
  RP_ASSIGN_OR_RETURN(auto db, SqliteConnections::Open(path, clock, options));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
  Status st = store->Migrate();
  if (!st.ok()) return st.WithContext("migrate database " + path);
  return store;
}

int SqliteStore::SchemaVersion() { return SqliteMigrations().back().version; }

Status SqliteStore::Migrate() {
  return Transaction([&]() -> Status {
    auto conn = db_->Writer();
    RP_RETURN_IF_ERROR(
        conn->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                   "description TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT",
                   "create schema_migrations"));
    RP_ASSIGN_OR_RETURN(int applied, AppliedSchemaVersion());
    if (applied > SchemaVersion()) {
      return Status::Internal("database schema version " + std::to_string(applied) +
                              " is newer than this build knows (" +
                              std::to_string(SchemaVersion()) + "); upgrade Rockpool");
    }
    for (const Migration& m : SqliteMigrations()) {
      if (m.version <= applied) continue;
      const std::string what = "apply migration " + std::to_string(m.version);
      RP_RETURN_IF_ERROR(conn->Exec(m.sql, what));
      RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("INSERT INTO schema_migrations (version, "
                                                   "description, applied_at) VALUES (?, ?, ?)"));
      stmt->Bind(1, m.version).Bind(2, m.description).Bind(3, FormatTime(db_->clock().Now()));
      RP_RETURN_IF_ERROR(stmt->Run(what));
    }
    return Status::Ok();
  });
}

Result<int> SqliteStore::AppliedSchemaVersion() {
  auto conn = db_->Reader();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  RP_ASSIGN_OR_RETURN(bool row, stmt->Step("read schema version"));
  return row ? static_cast<int>(stmt->Int(0)) : 0;
}

}  // namespace rockpool
