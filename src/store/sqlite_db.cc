#include "store/sqlite_db.h"

namespace rockpool::sqlite {

Status Error(sqlite3* db, int rc, std::string_view what) {
  std::string msg = "sqlite: " + std::string(what) + ": " +
                    (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Status::AlreadyExists(msg);
      }
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return Status::NotFound(msg);
      return Status::InvalidArgument(msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return Status::Unavailable(msg);
    default:
      return Status::Internal(msg);
  }
}

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::BindText(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

void Statement::BindInt(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }

void Statement::BindReal(int i, double v) { sqlite3_bind_double(stmt_, i, v); }

void Statement::BindNull(int i) { sqlite3_bind_null(stmt_, i); }

Result<bool> Statement::Step(std::string_view what) {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error(db_, sqlite3_extended_errcode(db_), what);
}

std::string Statement::Text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::optional<std::string> Statement::OptText(int col) const {
  if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
  return Text(col);
}

int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::optional<int64_t> Statement::OptInt(int col) const {
  if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
  return Int(col);
}

std::optional<double> Statement::OptReal(int col) const {
  if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(stmt_, col);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status st = Error(db, rc, "open database " + path);
    sqlite3_close(db);
    return st;
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status Connection::Exec(std::string_view sql, std::string_view what) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  sqlite3_free(err);
  return Error(db_, sqlite3_extended_errcode(db_), what);
}

Result<std::unique_ptr<sql::Statement>> Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(db_, rc, "prepare \"" + sql + "\"");
    it = cache_.emplace(sql, stmt).first;
  }
  return std::unique_ptr<sql::Statement>(std::make_unique<Statement>(db_, it->second));
}

namespace {

// Closes a connection opened with sqlite3_open_v2 (also one that failed to open).
struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;

Result<DbHandle> OpenRaw(const std::string& path, int flags, std::string_view what) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  DbHandle handle(db);
  if (rc != SQLITE_OK) return Error(db, rc, what);
  sqlite3_extended_result_codes(db, 1);
  return handle;
}

}  // namespace

Status BackupDatabase(const std::string& from, const std::string& to,
                      std::chrono::milliseconds busy) {
  const std::string what = "back up database " + from + " to " + to;
  RP_ASSIGN_OR_RETURN(DbHandle src, OpenRaw(from, SQLITE_OPEN_READONLY, "open database " + from));
  sqlite3_busy_timeout(src.get(), static_cast<int>(busy.count()));
  RP_ASSIGN_OR_RETURN(DbHandle dst, OpenRaw(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                            "create database " + to));
  sqlite3_busy_timeout(dst.get(), static_cast<int>(busy.count()));
  sqlite3_backup* backup = sqlite3_backup_init(dst.get(), "main", src.get(), "main");
  if (backup == nullptr) return Error(dst.get(), sqlite3_extended_errcode(dst.get()), what);
  // One step copies every page under a single read transaction: a consistent snapshot.
  const auto deadline = std::chrono::steady_clock::now() + busy;
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while ((rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
           std::chrono::steady_clock::now() < deadline);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Error(dst.get(), rc, what);
  char* err = nullptr;
  rc = sqlite3_exec(dst.get(), "PRAGMA journal_mode = DELETE", nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return Error(dst.get(), rc, what + ": leave WAL mode");
  return Status::Ok();
}

}  // namespace rockpool::sqlite
