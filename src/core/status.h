// Status and Result<T>: the one error type that crosses module boundaries.
// A Status carries a code (which maps to an HTTP status in exactly one place, the API layer)
// and a message that names what was attempted, on which object, and what the other side said.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace rockpool {

enum class Code {
  kOk,
  kInvalidArgument,   // the caller sent something malformed; fix the input
  kNotFound,          // the named object does not exist
  kAlreadyExists,     // the named object exists already
  kConflict,          // the object is in a state that does not allow this operation
  kTooLarge,          // the request exceeds a size or count limit
  kOutOfRange,        // a well-formed value beyond what this deployment allows (a maximum)
  kUnavailable,       // a dependency (daemon, proxy, store) cannot be reached
  kDeadlineExceeded,  // an operation did not finish in time
  kInternal,          // a bug or an unexpected answer from a dependency
  kUnimplemented,     // this deployment (its runtime) cannot do the operation at all
  kPermissionDenied,  // the caller is known but may not do this
  kUnauthenticated,   // the caller's credentials were missing or refused
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {Code::kAlreadyExists, std::move(msg)}; }
  static Status Conflict(std::string msg) { return {Code::kConflict, std::move(msg)}; }
  static Status TooLarge(std::string msg) { return {Code::kTooLarge, std::move(msg)}; }
  static Status OutOfRange(std::string msg) { return {Code::kOutOfRange, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  static Status DeadlineExceeded(std::string msg) {
    return {Code::kDeadlineExceeded, std::move(msg)};
  }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) {
    return {Code::kPermissionDenied, std::move(msg)};
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message reads "<context>: <message>", keeping the code.
  Status WithContext(std::string_view context) const;

  // "ok" or the message; codes are for programs, messages for people.
  std::string ToString() const { return ok() ? "ok" : message_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace rockpool

#define RP_CONCAT_INNER(a, b) a##b
#define RP_CONCAT(a, b) RP_CONCAT_INNER(a, b)

#define RP_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::rockpool::Status rp_status_ = (expr);  \
    if (!rp_status_.ok()) return rp_status_; \
  } while (0)

#define RP_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()

// RP_ASSIGN_OR_RETURN(auto x, FunctionReturningResult());
#define RP_ASSIGN_OR_RETURN(lhs, expr) \
  RP_ASSIGN_OR_RETURN_IMPL(RP_CONCAT(rp_result_, __LINE__), lhs, expr)
