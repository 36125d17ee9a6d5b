// SqliteConnections: the connections of one SQLite database file, shared by the SQLite
// repositories of a SqliteStore, so that they take part in one transaction. One writer
// connection serves writes and transactions, one at a time; reads outside the calling thread's
// transaction run concurrently on pooled reader connections (WAL lets readers proceed while a
// writer works). Writes take SQLite's write lock up front (BEGIN IMMEDIATE) and wait for it up
// to busy_timeout, so several processes may share the file.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/limits.h"
#include "store/clock.h"
#include "store/sqlite_db.h"

namespace rockpool {

struct SqliteStoreOptions {
  std::chrono::milliseconds busy_timeout{5000};
  // What a workspace stored without limits (created before they were kept) reads as.
  WorkspaceLimits default_limits;
  // What a workspace without an idle timeout of its own reads as (ROCKPOOL_IDLE_TIMEOUT); 0:
  // never stopped for being idle.
  int64_t default_idle_timeout_seconds = 1800;
};

class SqliteConnections {
 public:
  // The connection for one call: the writer (locked), or for a read outside this thread's
  // transaction a pooled reader.
  class ConnRef {
   public:
    ConnRef(SqliteConnections& db, bool read);
    ~ConnRef();
    ConnRef(const ConnRef&) = delete;
    ConnRef& operator=(const ConnRef&) = delete;
    sqlite::Connection* operator->() const { return conn_; }

   private:
    SqliteConnections& db_;
    std::unique_lock<std::recursive_mutex> lock_;
    std::unique_ptr<sqlite::Connection> reader_;
    sqlite::Connection* conn_ = nullptr;
  };

  // Opens the writer connection of the file at `path` (creating it). `clock` must outlive this.
  static Result<std::unique_ptr<SqliteConnections>> Open(const std::string& path, Clock& clock,
                                                         SqliteStoreOptions options);

  // Runs `body` in one write transaction: committed when it returns ok, rolled back otherwise
  // (its Status is returned). A Transaction inside a Transaction joins the outer one (a
  // savepoint: a failing inner body undoes only its own writes).
  Status Transaction(const std::function<Status()>& body);
  ConnRef Writer() { return ConnRef(*this, false); }
  ConnRef Reader() { return ConnRef(*this, true); }

  Clock& clock() { return clock_; }
  const SqliteStoreOptions& options() const { return options_; }
  const std::string& path() const { return path_; }

 private:
  SqliteConnections(std::unique_ptr<sqlite::Connection> conn, Clock& clock, std::string path,
                    SqliteStoreOptions options)
      : conn_(std::move(conn)), clock_(clock), path_(std::move(path)), options_(options) {}
  static Result<std::unique_ptr<sqlite::Connection>> Connect(const std::string& path,
                                                             const SqliteStoreOptions& options);
  // A reader from the pool, or a new one; null if none can be opened.
  std::unique_ptr<sqlite::Connection> TakeReader();
  void ReturnReader(std::unique_ptr<sqlite::Connection> reader);

  std::recursive_mutex mu_;  // guards conn_ and in_transaction_; held for a whole transaction
  std::unique_ptr<sqlite::Connection> conn_;
  Clock& clock_;
  const std::string path_;
  const SqliteStoreOptions options_;
  bool in_transaction_ = false;
  std::atomic<std::thread::id> txn_owner_{};  // the thread inside Transaction, if any

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<sqlite::Connection>> readers_;  // guarded by pool_mu_
};

}  // namespace rockpool
