#include "api/api_error.h"

#include <nlohmann/json.hpp>

namespace rockpool::api {

ApiError ApiError::FromStatus(const Status& status) {
  const std::string code(CodeName(status.code()));
  switch (status.code()) {
    case Code::kInvalidArgument:
      return {400, code, status.message()};
    case Code::kNotFound:
      return {404, code, status.message()};
    case Code::kAlreadyExists:
    case Code::kConflict:
    case Code::kTooLarge:
      return {409, code, status.message()};
    case Code::kOutOfRange:
      return {422, code, status.message()};
    case Code::kUnavailable:
      return {503, code, status.message()};
    case Code::kDeadlineExceeded:
      return {504, code, status.message()};
    case Code::kOk:
      return {500, "internal", "an operation failed without saying why (a bug)"};
    case Code::kInternal:
      break;
  }
  return {500, "internal", status.message()};
}

std::string ApiError::Body() const {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace rockpool::api
