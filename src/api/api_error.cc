#include "api/api_error.h"

#include <nlohmann/json.hpp>

namespace rockpool::api {
namespace {

constexpr char kSignInHelp[] =
    "sign in with the Rockpool username and password that `rockpool up` printed, or with an API "
    "token (the CLI: `rockpool login` once, or --user and --password, or ROCKPOOL_USERNAME and "
    "ROCKPOOL_PASSWORD, or ROCKPOOL_TOKEN)";

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string PageTitle(int status) {
  switch (status) {
    case 401:
      return "Sign in to Rockpool";
    case 403:
      return "Refused";
    case 429:
      return "Too many attempts";
    case 503:
      return "Sign-in is unavailable";
    default:
      return "Rockpool cannot answer this request";
  }
}

}  // namespace

ApiError ApiError::FromStatus(const Status& status) {
  const std::string code(CodeName(status.code()));
  switch (status.code()) {
    case Code::kInvalidArgument:
      return {400, code, status.message(), {}};
    case Code::kNotFound:
      return {404, code, status.message(), {}};
    case Code::kAlreadyExists:
    case Code::kConflict:
    case Code::kTooLarge:
      return {409, code, status.message(), {}};
    case Code::kOutOfRange:
      return {422, code, status.message(), {}};
    case Code::kUnavailable:
      return {503, code, status.message(), {}};
    case Code::kDeadlineExceeded:
      return {504, code, status.message(), {}};
    case Code::kUnimplemented:
      return {501, code, status.message(), {}};
    case Code::kPermissionDenied:
      return {403, code, status.message(), {}};
    case Code::kUnauthenticated:
      return Unauthenticated(status.message());
    case Code::kOk:
      return {500, "internal", "an operation failed without saying why (a bug)", {}};
    case Code::kInternal:
      break;
  }
  return {500, "internal", status.message(), {}};
}

ApiError ApiError::Unauthenticated(std::string message) {
  return {401,
          "unauthenticated",
          std::move(message),
          {{"WWW-Authenticate", R"(Bearer realm="Rockpool")"}}};
}

ApiError ApiError::RateLimited(std::string message, std::chrono::seconds retry_after) {
  return {429,
          "rate_limited",
          std::move(message),
          {{"Retry-After", std::to_string(std::max<int64_t>(1, retry_after.count()))}}};
}

ApiError ApiError::FromAuthDecision(const auth::AuthDecision& decision) {
  using Outcome = auth::AuthDecision::Outcome;
  switch (decision.outcome) {
    case Outcome::kThrottled:
      return RateLimited(decision.message, decision.retry_after);
    case Outcome::kUnavailable: {
      ApiError e = FromStatus(Status::Unavailable(decision.message));
      if (decision.retry_after.count() > 0) {
        e.headers.emplace_back("Retry-After", std::to_string(decision.retry_after.count()));
      }
      return e;
    }
    case Outcome::kUnauthenticated:
    case Outcome::kAllowed:  // not a refusal: a caller's bug, still never a way in
      break;
  }
  return Unauthenticated(decision.message + "; " + kSignInHelp);
}

std::string ApiError::Body() const {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ApiError::Page() const {
  const std::string title = PageTitle(http_status);
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title +
         "</title></head>\n<body><h1>" + title + "</h1>\n<p>" + HtmlEscape(message) +
         "</p>\n<p>HTTP " + std::to_string(http_status) + " " + code + "</p></body></html>\n";
}

}  // namespace rockpool::api
