// The SQL layer (store/sql.h) on libpq, private to the store. Statements are prepared once per
// connection (server-side, PQprepare) and run with text parameters; `?N` and `?` placeholders
// are rewritten to PostgreSQL's `$N`. Errors are mapped by SQLSTATE: unique violations are
// AlreadyExists, foreign-key violations NotFound, other constraint and data errors
// InvalidArgument, lost connections and lock or serialization failures Unavailable.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/sql.h"

namespace rockpool::pg {

// `sql` with SQLite-style placeholders (`?N`, and bare `?` numbered in order) as `$N`. Text in
// single quotes is left alone.
std::string RewritePlaceholders(std::string_view sql);

// A Status for a failed result (or connection, when `res` is null) naming `what`.
Status Error(PGconn* conn, const PGresult* res, std::string_view what);

struct ClearResult {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultHandle = std::unique_ptr<PGresult, ClearResult>;

class Statement : public sql::Statement {
 public:
  Statement(PGconn* conn, std::string name) : conn_(conn), name_(std::move(name)) {}

  void BindText(int i, std::string_view v) override { Param(i) = std::string(v); }
  void BindInt(int i, int64_t v) override { Param(i) = std::to_string(v); }
  void BindReal(int i, double v) override;
  void BindNull(int i) override { Param(i).reset(); }
  // The first Step runs the statement; each Step moves to the next row of its result.
  Result<bool> Step(std::string_view what) override;

  std::string Text(int col) const override;
  std::optional<std::string> OptText(int col) const override;
  int64_t Int(int col) const override;
  std::optional<int64_t> OptInt(int col) const override;
  std::optional<double> OptReal(int col) const override;
  int Changes() const override { return changes_; }

 private:
  std::optional<std::string>& Param(int i);
  Status Command(const char* sql, std::string_view what);
  bool IsNull(int col) const { return PQgetisnull(result_.get(), row_, col) != 0; }

  PGconn* conn_;
  std::string name_;
  std::vector<std::optional<std::string>> params_;
  ResultHandle result_;
  int row_ = -1;
  int changes_ = 0;
};

// How long a connection attempt may take when neither the URL (connect_timeout=) nor the
// environment (PGCONNECT_TIMEOUT) says.
inline constexpr int kConnectTimeoutSeconds = 5;

class Connection : public sql::Connection {
 public:
  // Connects to `url` (a libpq connection string or postgres:// URI) within
  // kConnectTimeoutSeconds unless it says otherwise. Fails with Unavailable.
  static Result<std::unique_ptr<Connection>> Open(const std::string& url);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() override { PQfinish(conn_); }

  Status Exec(std::string_view sql, std::string_view what) override;
  Result<std::unique_ptr<sql::Statement>> Prepare(const std::string& sql) override;
  // Whether the connection can go back to a pool: connected and outside any transaction.
  bool Reusable() const;
  // Whether the server still holds this session, without waiting: reads what the server sent
  // while the connection sat idle, which is how a restarted or terminated backend shows.
  bool StillOpen();
  // Whether a statement failed in the open transaction (PostgreSQL then refuses every other).
  bool TransactionFailed() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
};

}  // namespace rockpool::pg
