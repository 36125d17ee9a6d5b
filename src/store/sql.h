// The engine-neutral SQL layer under the store's repositories: a Statement that binds, steps
// and reads columns, a Connection that prepares statements, and a Database that hands out
// connections and runs transactions. SQLite (sqlite_db.h, SqliteConnections) and PostgreSQL
// (pg_db.h, PgConnections) implement it; the repositories (sql_*_repository.h) are written once
// against it. Statements use `?` or `?N` placeholders (SQLite's syntax; PostgreSQL's layer
// rewrites them) and SQL both engines accept; what differs lives in Dialect.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/limits.h"
#include "core/status.h"
#include "store/clock.h"

namespace rockpool {

struct StoreOptions {
  // SQLite: how long a write waits for another process's write lock.
  std::chrono::milliseconds busy_timeout{5000};
  // What a workspace stored without limits (created before they were kept) reads as.
  WorkspaceLimits default_limits;
  // What a workspace without an idle timeout of its own reads as (ROCKPOOL_IDLE_TIMEOUT); 0:
  // never stopped for being idle.
  int64_t default_idle_timeout_seconds = 1800;
  // Open applies the migrations this build has and the database lacks; false: opens the
  // database as it is, for readers that must not change it (`rockpool doctor`).
  bool migrate = true;
};

namespace sql {

class Statement {
 public:
  virtual ~Statement() = default;

  virtual void BindText(int i, std::string_view v) = 0;
  virtual void BindInt(int i, int64_t v) = 0;
  virtual void BindReal(int i, double v) = 0;
  virtual void BindNull(int i) = 0;

  Statement& Bind(int i, std::string_view v) {
    BindText(i, v);
    return *this;
  }
  Statement& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Statement& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Statement& Bind(int i, int64_t v) {
    BindInt(i, v);
    return *this;
  }
  Statement& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Statement& Bind(int i, double v) {
    BindReal(i, v);
    return *this;
  }
  Statement& Bind(int i, const std::optional<std::string>& v) {
    if (v) return Bind(i, std::string_view(*v));
    BindNull(i);
    return *this;
  }
  Statement& Bind(int i, const std::optional<int64_t>& v) {
    if (v) return Bind(i, *v);
    BindNull(i);
    return *this;
  }

  // True when a row is available, false when done; errors name `what`.
  virtual Result<bool> Step(std::string_view what) = 0;
  // Steps to completion, for statements that return no rows.
  Status Run(std::string_view what) {
    for (;;) {
      RP_ASSIGN_OR_RETURN(bool row, Step(what));
      if (!row) return Status::Ok();
    }
  }

  virtual std::string Text(int col) const = 0;
  virtual std::optional<std::string> OptText(int col) const = 0;
  virtual int64_t Int(int col) const = 0;
  virtual std::optional<int64_t> OptInt(int col) const = 0;
  virtual std::optional<double> OptReal(int col) const = 0;
  // Rows changed by the statement, once it has run.
  virtual int Changes() const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one or more statements without parameters or results.
  virtual Status Exec(std::string_view sql, std::string_view what) = 0;
  // A statement prepared once per connection and reused.
  virtual Result<std::unique_ptr<Statement>> Prepare(const std::string& sql) = 0;
};

// The connection for one call, given back to its Database when the ConnRef dies.
class ConnRef {
 public:
  // Keeps the connection the caller's (a lock, a pool slot) until destroyed.
  class Hold {
   public:
    virtual ~Hold() = default;
  };
  ConnRef(Connection* conn, std::unique_ptr<Hold> hold) : conn_(conn), hold_(std::move(hold)) {}
  Connection* operator->() const { return conn_; }

 private:
  Connection* conn_;
  std::unique_ptr<Hold> hold_;
};

// What the engines' SQL differs in, for the statements the repositories share.
struct Dialect {
  std::string_view name;           // "sqlite", "postgresql"
  std::string_view table_options;  // after CREATE TABLE (...): SQLite's STRICT
  std::string_view claim_lock;     // after the claim's pick: PostgreSQL's row lock
};

class Database {
 public:
  virtual ~Database() = default;
  // Runs `body` in one write transaction: committed when it returns ok, rolled back otherwise
  // (its Status is returned). Write transactions of every connection and process run one at a
  // time, as SQLite's do, so a body's reads stay true until it commits. A Transaction inside a
  // Transaction joins the outer one (a savepoint: a failing inner body undoes only its own
  // writes).
  virtual Status Transaction(const std::function<Status()>& body) = 0;
  // The connection for one write (joining this thread's transaction when there is one). A
  // write of several statements, or one that must see its reads hold, runs in Transaction.
  virtual ConnRef Writer() = 0;
  // The connection for one read: this thread's transaction's, or one that does not wait for it.
  virtual ConnRef Reader() = 0;

  virtual const Dialect& dialect() const = 0;
  virtual Clock& clock() = 0;
  virtual const StoreOptions& options() const = 0;
};

}  // namespace sql
}  // namespace rockpool
