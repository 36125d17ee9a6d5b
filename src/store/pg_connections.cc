#include "store/pg_connections.h"

#include <spdlog/spdlog.h>

namespace rockpool {
namespace {

// The advisory lock that serializes writes; one per database.
constexpr const char* kWriteLockKey = "7163";
constexpr size_t kMaxIdle = 16;

// A connection that could not be had: every call answers why.
class FailedConnection : public sql::Connection, public sql::ConnRef::Hold {
 public:
  explicit FailedConnection(Status error) : error_(std::move(error)) {}
  Status Exec(std::string_view /*sql*/, std::string_view /*what*/) override { return error_; }
  Result<std::unique_ptr<sql::Statement>> Prepare(const std::string& /*sql*/) override {
    return error_;
  }

 private:
  Status error_;
};

}  // namespace

// A pooled connection lent for one call, given back when the call is done.
class PgConnections::PoolHold : public sql::ConnRef::Hold {
 public:
  PoolHold(PgConnections& db, std::unique_ptr<pg::Connection> conn)
      : db_(db), conn_(std::move(conn)) {}
  ~PoolHold() override { db_.Give(std::move(conn_)); }
  pg::Connection* conn() const { return conn_.get(); }

 protected:
  PgConnections& db_;
  std::unique_ptr<pg::Connection> conn_;
};

// A pooled connection holding the write lock for one statement outside a transaction.
class PgConnections::WriteHold : public PoolHold {
 public:
  using PoolHold::PoolHold;
  ~WriteHold() override {
    Status st = conn_->Exec(std::string("SELECT pg_advisory_unlock(") + kWriteLockKey + ")",
                            "release the write lock");
    if (!st.ok()) conn_.reset();  // closing the session releases its locks
  }
};

Result<std::unique_ptr<PgConnections>> PgConnections::Open(const std::string& url, Clock& clock,
                                                           StoreOptions options) {
  std::unique_ptr<PgConnections> db(new PgConnections(url, clock, options));
  RP_ASSIGN_OR_RETURN(auto conn, pg::Connection::Open(url));
  db->Give(std::move(conn));
  return db;
}

const sql::Dialect& PgConnections::dialect() const {
  static constexpr sql::Dialect kPostgres{"postgresql", "", " FOR UPDATE SKIP LOCKED"};
  return kPostgres;
}

Result<std::unique_ptr<pg::Connection>> PgConnections::Take() {
  // A pooled session the server ended while it sat idle (a restart, a terminated backend) is
  // closed here, so the call it was taken for does not fail on it.
  for (;;) {
    std::unique_ptr<pg::Connection> conn;
    {
      std::lock_guard lock(mu_);
      if (idle_.empty()) break;
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
    if (conn->StillOpen()) return conn;
  }
  return pg::Connection::Open(url_);
}

void PgConnections::Give(std::unique_ptr<pg::Connection> conn) {
  if (!conn || !conn->Reusable()) return;  // a broken or stuck session is closed
  std::lock_guard lock(mu_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(conn));
}

PgConnections::Txn* PgConnections::CurrentTxn() {
  std::lock_guard lock(mu_);
  auto it = txns_.find(std::this_thread::get_id());
  return it == txns_.end() ? nullptr : it->second;
}

sql::ConnRef PgConnections::Failed(Status error) {
  auto failed = std::make_unique<FailedConnection>(std::move(error));
  sql::Connection* conn = failed.get();
  return sql::ConnRef(conn, std::move(failed));
}

sql::ConnRef PgConnections::Reader() {
  if (Txn* txn = CurrentTxn()) return sql::ConnRef(txn->conn.get(), nullptr);
  auto conn = Take();
  if (!conn.ok()) return Failed(conn.status());
  auto hold = std::make_unique<PoolHold>(*this, std::move(conn).value());
  pg::Connection* c = hold->conn();
  return sql::ConnRef(c, std::move(hold));
}

sql::ConnRef PgConnections::Writer() {
  if (Txn* txn = CurrentTxn()) return sql::ConnRef(txn->conn.get(), nullptr);
  auto conn = Take();
  if (!conn.ok()) return Failed(conn.status());
  Status locked = (*conn)->Exec(std::string("SELECT pg_advisory_lock(") + kWriteLockKey + ")",
                                "take the write lock");
  if (!locked.ok()) return Failed(locked);
  auto hold = std::make_unique<WriteHold>(*this, std::move(conn).value());
  pg::Connection* c = hold->conn();
  return sql::ConnRef(c, std::move(hold));
}

Status PgConnections::Transaction(const std::function<Status()>& body) {
  if (Txn* txn = CurrentTxn()) {
    const std::string savepoint = "rp_nested_" + std::to_string(++txn->depth);
    Status st = txn->conn->Exec("SAVEPOINT " + savepoint, "begin nested transaction");
    if (st.ok()) {
      st = body();
      if (!st.ok()) {
        Status undone =
            txn->conn->Exec("ROLLBACK TO SAVEPOINT " + savepoint, "roll back nested transaction");
        if (!undone.ok()) spdlog::warn("store: {}", undone.ToString());
      }
      Status released = txn->conn->Exec("RELEASE SAVEPOINT " + savepoint, "end nested transaction");
      if (st.ok()) st = released;
    }
    --txn->depth;
    return st;
  }
  RP_ASSIGN_OR_RETURN(auto conn, Take());
  RP_RETURN_IF_ERROR(
      conn->Exec(std::string("BEGIN; SELECT pg_advisory_xact_lock(") + kWriteLockKey + ")",
                 "begin transaction"));
  Txn txn{std::move(conn)};
  {
    std::lock_guard lock(mu_);
    txns_[std::this_thread::get_id()] = &txn;
  }
  Status st = body();
  {
    std::lock_guard lock(mu_);
    txns_.erase(std::this_thread::get_id());
  }
  if (st.ok() && txn.conn->TransactionFailed()) {
    st = Status::Internal("store: a statement failed inside the transaction; rolled back");
  }
  if (st.ok()) st = txn.conn->Exec("COMMIT", "commit transaction");
  if (!st.ok()) {
    // After a failed COMMIT PostgreSQL has already rolled back; this ends the transaction in
    // every other case. Nothing of it is committed either way.
    Status undone = txn.conn->Exec("ROLLBACK", "roll back transaction");
    if (!undone.ok()) spdlog::warn("store: {}", undone.ToString());
  }
  Give(std::move(txn.conn));
  return st;
}

}  // namespace rockpool
