// Thin RAII layer over the SQLite C API, private to the store: a connection with a cache of
// prepared statements, and a Statement cursor that binds, steps and reads columns.
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

namespace rockpool::sqlite {

// Maps an SQLite result code to a Status naming `what` was attempted.
Status Error(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();  // resets and clears bindings; the connection keeps the statement

  Statement& Bind(int i, std::string_view v);
  Statement& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Statement& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Statement& Bind(int i, int64_t v);
  Statement& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Statement& Bind(int i, double v);
  Statement& Bind(int i, const std::optional<std::string>& v);
  Statement& Bind(int i, const std::optional<int64_t>& v);

  // True when a row is available, false when done; errors name `what`.
  Result<bool> Step(std::string_view what);
  // Steps to completion, for statements that return no rows.
  Status Run(std::string_view what);

  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;
  int64_t Int(int col) const;
  std::optional<int64_t> OptInt(int col) const;
  std::optional<double> OptReal(int col) const;
  int Changes() const { return sqlite3_changes(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& path);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements without results.
  Status Exec(std::string_view sql, std::string_view what);
  // A statement prepared once per connection and reused.
  Result<std::unique_ptr<Statement>> Prepare(const std::string& sql);
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
