#include "store/sqlite_connections.h"

#include <spdlog/spdlog.h>

namespace rockpool {
namespace {

// A rollback fails mostly because SQLite already rolled the transaction back after the error
// that ended it (a full disk, an I/O error): nothing of it was committed either way.
void LogFailedRollback(const Status& st) {
  if (!st.ok()) {
    spdlog::warn("store: {} (SQLite may have rolled it back already); nothing of it is committed",
                 st.ToString());
  }
}

}  // namespace

Result<std::unique_ptr<sqlite::Connection>> SqliteConnections::Connect(
    const std::string& path, const StoreOptions& options) {
  RP_ASSIGN_OR_RETURN(auto conn, sqlite::Connection::Open(path));
  sqlite3_busy_timeout(conn->raw(), static_cast<int>(options.busy_timeout.count()));
  RP_RETURN_IF_ERROR(conn->Exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
      "configure database " + path));
  return conn;
}

Result<std::unique_ptr<SqliteConnections>> SqliteConnections::Open(const std::string& path,
                                                                   Clock& clock,
                                                                   StoreOptions options) {
  RP_ASSIGN_OR_RETURN(auto conn, Connect(path, options));
  return std::unique_ptr<SqliteConnections>(
      new SqliteConnections(std::move(conn), clock, path, options));
}

// Holds the writer's lock, or a reader taken from the pool, for one call.
class SqliteConnections::Hold : public sql::ConnRef::Hold {
 public:
  explicit Hold(SqliteConnections& db) : db_(db), lock_(db.mu_) {}
  Hold(SqliteConnections& db, std::unique_ptr<sqlite::Connection> reader)
      : db_(db), reader_(std::move(reader)) {}
  ~Hold() override {
    if (reader_) db_.ReturnReader(std::move(reader_));
  }
  sqlite::Connection* reader() const { return reader_.get(); }

 private:
  SqliteConnections& db_;
  std::unique_lock<std::recursive_mutex> lock_;
  std::unique_ptr<sqlite::Connection> reader_;
};

sql::ConnRef SqliteConnections::Writer() {
  auto hold = std::make_unique<Hold>(*this);
  return sql::ConnRef(conn_.get(), std::move(hold));
}

sql::ConnRef SqliteConnections::Reader() {
  if (txn_owner_.load() != std::this_thread::get_id()) {
    if (auto reader = TakeReader()) {
      auto hold = std::make_unique<Hold>(*this, std::move(reader));
      sqlite::Connection* conn = hold->reader();
      return sql::ConnRef(conn, std::move(hold));
    }
  }
  return Writer();
}

const sql::Dialect& SqliteConnections::dialect() const {
  static constexpr sql::Dialect kSqlite{"sqlite", " STRICT", ""};
  return kSqlite;
}

std::unique_ptr<sqlite::Connection> SqliteConnections::TakeReader() {
  {
    std::lock_guard lock(pool_mu_);
    if (!readers_.empty()) {
      auto reader = std::move(readers_.back());
      readers_.pop_back();
      return reader;
    }
  }
  auto reader = Connect(path_, options_);
  return reader.ok() ? std::move(reader).value() : nullptr;  // null: use the writer
}

void SqliteConnections::ReturnReader(std::unique_ptr<sqlite::Connection> reader) {
  std::lock_guard lock(pool_mu_);
  readers_.push_back(std::move(reader));
}

Status SqliteConnections::Transaction(const std::function<Status()>& body) {
  std::lock_guard lock(mu_);
  if (in_transaction_) {
    RP_RETURN_IF_ERROR(conn_->Exec("SAVEPOINT nested", "begin nested transaction"));
    Status st = body();
    if (!st.ok()) {
      LogFailedRollback(conn_->Exec("ROLLBACK TO nested", "roll back nested transaction"));
    }
    Status released = conn_->Exec("RELEASE nested", "end nested transaction");
    return st.ok() ? released : st;
  }
  RP_RETURN_IF_ERROR(conn_->Exec("BEGIN IMMEDIATE", "begin transaction"));
  in_transaction_ = true;
  txn_owner_ = std::this_thread::get_id();
  Status st = body();
  txn_owner_ = std::thread::id();
  in_transaction_ = false;
  if (st.ok()) {
    st = conn_->Exec("COMMIT", "commit transaction");
    if (st.ok()) return st;
  }
  LogFailedRollback(conn_->Exec("ROLLBACK", "roll back transaction"));
  return st;
}

}  // namespace rockpool
