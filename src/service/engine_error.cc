#include "service/engine_error.h"

#include <spdlog/spdlog.h>

#include <string>

namespace rockpool {

Status EngineFailure(const Status& failure, std::string_view what, std::string_view engine) {
  spdlog::warn("{}: {} answered: {}", what, engine, failure.ToString());
  std::string message = std::string(what) + ": ";
  switch (failure.code()) {
    case Code::kUnavailable:
      return Status::Unavailable(message + std::string(engine) +
                                 " cannot be reached; try again later");
    case Code::kDeadlineExceeded:
      return Status::DeadlineExceeded(message + std::string(engine) +
                                      " did not answer in time; try again later");
    default:
      return Status::Internal(message + std::string(engine) +
                              " failed (its answer is in the control plane's log)");
  }
}

}  // namespace rockpool
