#include "store/sql_store.h"

namespace rockpool {

Status SqlStore::Migrate(const std::vector<Migration>& migrations) {
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  return Transaction([&]() -> Status {
    auto conn = db_->Writer();
    RP_RETURN_IF_ERROR(
        conn->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                   "description TEXT NOT NULL, applied_at TEXT NOT NULL)" +
                       std::string(db_->dialect().table_options),
                   "create schema_migrations"));
    RP_ASSIGN_OR_RETURN(int applied, AppliedSchemaVersion());
    if (applied > latest) {
      return Status::Internal("database schema version " + std::to_string(applied) +
                              " is newer than this build knows (" + std::to_string(latest) +
                              "); upgrade Rockpool");
    }
    for (const Migration& m : migrations) {
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

Result<int> SqlStore::AppliedSchemaVersion() {
  auto conn = db_->Reader();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  RP_ASSIGN_OR_RETURN(bool row, stmt->Step("read schema version"));
  return row ? static_cast<int>(stmt->Int(0)) : 0;
}

}  // namespace rockpool
