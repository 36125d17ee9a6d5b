// PgConnections: the sql::Database on a PostgreSQL database, shared by the repositories of a
// PgStore. Each call takes a connection from a pool (opening one when none is idle); a thread
// inside Transaction keeps one connection for the whole transaction, and its calls join it.
//
// Writes are serialized across every connection and process, as SQLite serializes them: a
// transaction takes a transaction-level advisory lock after BEGIN, and a write outside any
// transaction holds the same lock (session-level) around its one statement. Reads take no lock
// and see what is committed, so list pages never wait for a writer.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "store/clock.h"
#include "store/pg_db.h"
#include "store/sql.h"

namespace rockpool {

class PgConnections : public sql::Database {
 public:
  // Connects once to `url` to check it. `clock` must outlive this.
  static Result<std::unique_ptr<PgConnections>> Open(const std::string& url, Clock& clock,
                                                     StoreOptions options);

  Status Transaction(const std::function<Status()>& body) override;
  sql::ConnRef Writer() override;
  sql::ConnRef Reader() override;

  const sql::Dialect& dialect() const override;
  Clock& clock() override { return clock_; }
  const StoreOptions& options() const override { return options_; }

 private:
  class PoolHold;
  class WriteHold;
  struct Txn {
    std::unique_ptr<pg::Connection> conn;
    int depth = 0;  // savepoints open
  };

  PgConnections(std::string url, Clock& clock, StoreOptions options)
      : url_(std::move(url)), clock_(clock), options_(options) {}
  Result<std::unique_ptr<pg::Connection>> Take();
  void Give(std::unique_ptr<pg::Connection> conn);
  Txn* CurrentTxn();
  // A ConnRef whose every call fails with `error` (a connection could not be had).
  static sql::ConnRef Failed(Status error);

  const std::string url_;
  Clock& clock_;
  const StoreOptions options_;

  std::mutex mu_;
  std::vector<std::unique_ptr<pg::Connection>> idle_;  // guarded by mu_
  std::unordered_map<std::thread::id, Txn*> txns_;     // guarded by mu_
};

}  // namespace rockpool
