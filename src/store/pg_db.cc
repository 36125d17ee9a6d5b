#include "store/pg_db.h"

#include <charconv>
#include <cstdlib>

namespace rockpool::pg {
namespace {

bool SqlStateIn(std::string_view state, std::string_view cls) {
  return state.substr(0, cls.size()) == cls;
}

// libpq's message on one line: its trailing newline goes, inner line breaks become "; ".
std::string Trimmed(const char* msg) {
  std::string s = msg != nullptr ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\n') {
      out += s[i];
      continue;
    }
    out += "; ";
    while (i + 1 < s.size() && (s[i + 1] == '\t' || s[i + 1] == ' ')) ++i;
  }
  return out;
}

void DiscardNotice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  bool quoted = false;
  int next = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'') quoted = !quoted;
    if (c != '?' || quoted) {
      out += c;
      continue;
    }
    size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') ++j;
    out += '$';
    if (j > i + 1) {
      out.append(sql.substr(i + 1, j - i - 1));
      i = j - 1;
    } else {
      out += std::to_string(++next);
    }
  }
  return out;
}

Status Error(PGconn* conn, const PGresult* res, std::string_view what) {
  const char* state_field = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view state = state_field != nullptr ? state_field : "";
  std::string detail = Trimmed(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  if (detail.empty()) detail = Trimmed(PQerrorMessage(conn));
  const std::string msg = "postgresql: " + std::string(what) + ": " + detail;
  if (state == "23505") return Status::AlreadyExists(msg);
  if (state == "23503") return Status::NotFound(msg);
  if (SqlStateIn(state, "23") || SqlStateIn(state, "22")) return Status::InvalidArgument(msg);
  if (state.empty() || SqlStateIn(state, "08") || SqlStateIn(state, "53") ||
      SqlStateIn(state, "57P") || state == "40001" || state == "40P01" || state == "55P03" ||
      PQstatus(conn) != CONNECTION_OK) {
    return Status::Unavailable(msg);
  }
  return Status::Internal(msg);
}

void Statement::BindReal(int i, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  Param(i) = ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

std::optional<std::string>& Statement::Param(int i) {
  const auto index = static_cast<size_t>(i - 1);
  if (params_.size() <= index) params_.resize(index + 1);
  return params_[index];
}

Result<bool> Statement::Step(std::string_view what) {
  if (!result_) {
    // Inside a transaction a failed statement would abort the whole transaction; SQLite undoes
    // only the statement, and callers may handle the error and go on. A savepoint around the
    // statement gives PostgreSQL the same behaviour.
    const bool in_transaction = PQtransactionStatus(conn_) == PQTRANS_INTRANS;
    if (in_transaction) RP_RETURN_IF_ERROR(Command("SAVEPOINT rp_statement", what));
    std::vector<const char*> values;
    values.reserve(params_.size());
    for (const auto& p : params_) values.push_back(p ? p->c_str() : nullptr);
    result_.reset(PQexecPrepared(conn_, name_.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, 0));
    const ExecStatusType st = result_ ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      Status err = Error(conn_, result_.get(), what);
      result_.reset();
      if (in_transaction) {
        // When this fails too the transaction stays failed, and Transaction refuses to commit.
        (void)Command("ROLLBACK TO SAVEPOINT rp_statement; RELEASE SAVEPOINT rp_statement", what);
      }
      return err;
    }
    if (in_transaction) RP_RETURN_IF_ERROR(Command("RELEASE SAVEPOINT rp_statement", what));
    changes_ = std::atoi(PQcmdTuples(result_.get()));
  }
  ++row_;
  return row_ < PQntuples(result_.get());
}

Status Statement::Command(const char* sql, std::string_view what) {
  ResultHandle res(PQexec(conn_, sql));
  if (res && PQresultStatus(res.get()) == PGRES_COMMAND_OK) return Status::Ok();
  return Error(conn_, res.get(), what);
}

std::string Statement::Text(int col) const {
  const char* v = PQgetvalue(result_.get(), row_, col);
  return std::string(v, static_cast<size_t>(PQgetlength(result_.get(), row_, col)));
}

std::optional<std::string> Statement::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

int64_t Statement::Int(int col) const {
  return std::strtoll(PQgetvalue(result_.get(), row_, col), nullptr, 10);
}

std::optional<int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::optional<double> Statement::OptReal(int col) const {
  if (IsNull(col)) return std::nullopt;
  return std::strtod(PQgetvalue(result_.get(), row_, col), nullptr);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url) {
  // A database host that does not answer fails the call after kConnectTimeoutSeconds instead of
  // holding it for as long as the kernel retries, or for ever once TCP is up. The keywords are read
  // in order and the last one wins, so a connect_timeout in the URL, or PGCONNECT_TIMEOUT,
  // overrides this one.
  const char* env_timeout = std::getenv("PGCONNECT_TIMEOUT");
  const std::string timeout = env_timeout != nullptr && *env_timeout != '\0'
                                  ? env_timeout
                                  : std::to_string(kConnectTimeoutSeconds);
  const char* const keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* const values[] = {timeout.c_str(), url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Status::Unavailable("postgresql: connect: out of memory");
  std::unique_ptr<Connection> c(new Connection(conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    return Status::Unavailable("postgresql: connect to the database: " +
                               Trimmed(PQerrorMessage(conn)));
  }
  PQsetNoticeProcessor(conn, DiscardNotice, nullptr);
  return c;
}

Status Connection::Exec(std::string_view sql, std::string_view what) {
  ResultHandle res(PQexec(conn_, std::string(sql).c_str()));
  const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Status::Ok();
  return Error(conn_, res.get(), what);
}

Result<std::unique_ptr<sql::Statement>> Connection::Prepare(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "rp" + std::to_string(prepared_.size() + 1);
    const std::string text = RewritePlaceholders(sql);
    ResultHandle res(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr));
    if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      return Error(conn_, res.get(), "prepare \"" + sql + "\"");
    }
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  return std::unique_ptr<sql::Statement>(std::make_unique<Statement>(conn_, it->second));
}

bool Connection::StillOpen() {
  // A backend that ends sends its last error and then closes; one read takes the error, the
  // next meets the end of the stream. On a live idle session both find nothing, at once.
  for (int i = 0; i < 2; ++i) {
    if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) return false;
  }
  return true;
}

bool Connection::Reusable() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

}  // namespace rockpool::pg
