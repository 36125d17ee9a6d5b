// The SQL layer (store/sql.h) on the SQLite C API, private to the store: a connection with a
// cache of prepared statements, and a Statement cursor that binds, steps and reads columns.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "store/sql.h"

namespace rockpool::sqlite {

// Maps an SQLite result code to a Status naming `what` was attempted.
Status Error(sqlite3* db, int rc, std::string_view what);

class Statement : public sql::Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() override;  // resets and clears bindings; the connection keeps the statement

  void BindText(int i, std::string_view v) override;
  void BindInt(int i, int64_t v) override;
  void BindReal(int i, double v) override;
  void BindNull(int i) override;
  Result<bool> Step(std::string_view what) override;

  std::string Text(int col) const override;
  std::optional<std::string> OptText(int col) const override;
  int64_t Int(int col) const override;
  std::optional<int64_t> OptInt(int col) const override;
  std::optional<double> OptReal(int col) const override;
  int Changes() const override { return sqlite3_changes(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Connection : public sql::Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& path);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() override;

  Status Exec(std::string_view sql, std::string_view what) override;
  Result<std::unique_ptr<sql::Statement>> Prepare(const std::string& sql) override;
  sqlite3* raw() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Copies the database at `from` into a new file `to` with SQLite's online backup API: a
// consistent snapshot while other connections (other processes too) keep reading and writing.
// `to` is left in rollback-journal mode, one self-contained file. Waits up to `busy` for locks.
Status BackupDatabase(const std::string& from, const std::string& to,
                      std::chrono::milliseconds busy = std::chrono::seconds(30));

}  // namespace rockpool::sqlite
