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

#include "store/clock.h"
#include "store/sqlite_db.h"

namespace rockpool {

class SqliteConnections : public sql::Database {
 public:
  // Opens the writer connection of the file at `path` (creating it). `clock` must outlive this.
  static Result<std::unique_ptr<SqliteConnections>> Open(const std::string& path, Clock& clock,
                                                         StoreOptions options);

  Status Transaction(const std::function<Status()>& body) override;
  // The writer (locked), or for a read outside this thread's transaction a pooled reader.
  sql::ConnRef Writer() override;
  sql::ConnRef Reader() override;

  const sql::Dialect& dialect() const override;
  Clock& clock() override { return clock_; }
  const StoreOptions& options() const override { return options_; }
  const std::string& path() const { return path_; }

 private:
  SqliteConnections(std::unique_ptr<sqlite::Connection> conn, Clock& clock, std::string path,
                    StoreOptions options)
      : conn_(std::move(conn)), clock_(clock), path_(std::move(path)), options_(options) {}
  static Result<std::unique_ptr<sqlite::Connection>> Connect(const std::string& path,
                                                             const StoreOptions& options);
  // A reader from the pool, or a new one; null if none can be opened.
  class Hold;
  std::unique_ptr<sqlite::Connection> TakeReader();
  void ReturnReader(std::unique_ptr<sqlite::Connection> reader);

  std::recursive_mutex mu_;  // guards conn_ and in_transaction_; held for a whole transaction
  std::unique_ptr<sqlite::Connection> conn_;
  Clock& clock_;
  const std::string path_;
  const StoreOptions options_;
  bool in_transaction_ = false;
  std::atomic<std::thread::id> txn_owner_{};  // the thread inside Transaction, if any

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<sqlite::Connection>> readers_;  // guarded by pool_mu_
};

}  // namespace rockpool
