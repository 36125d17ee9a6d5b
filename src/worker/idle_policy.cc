#include "worker/idle_policy.h"

#include <algorithm>

#include "core/duration.h"

namespace rockpool {

TimePoint LastActivity(const IdleInputs& in, TimePoint now) {
  TimePoint last = in.watching_since;
  if (in.recorded) last = std::max(last, *in.recorded);
  if (in.observed.last_request) last = std::max(last, *in.observed.last_request);
  if (in.observed.open_connections > 0) last = std::max(last, now);
  return std::min(last, now);  // a clock that stepped back never makes the future "last"
}

bool IsIdle(int64_t timeout_seconds, TimePoint last_activity, TimePoint now) {
  return timeout_seconds > 0 && now - last_activity >= std::chrono::seconds(timeout_seconds);
}

std::string IdleStopReason(int64_t timeout_seconds) {
  return "stopped after " + FormatDurationSeconds(timeout_seconds) + " without activity";
}

}  // namespace rockpool
