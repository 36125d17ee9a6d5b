#include "auth/login_throttle.h"

#include <algorithm>

namespace rockpool::auth {

std::chrono::seconds RetryAfterSeconds(std::chrono::nanoseconds wait) {
  return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(wait));
}

LoginThrottle::LoginThrottle(ThrottleOptions options, const MonotonicClock& clock)
    : options_(options),
      clock_(clock),
      table_(options.max_addresses, [this](const Entry& e, MonoTime now) { return Idle(e, now); }) {
}

bool LoginThrottle::Idle(const Entry& e, MonoTime now) const {
  if (now < e.locked_until) return false;
  const auto quiet = now - e.last_failure;
  return e.lockouts == 0 ? quiet > options_.window : quiet >= options_.forget_after;
}

std::optional<std::chrono::seconds> LoginThrottle::RetryAfter(const std::string& address) {
  const MonoTime now = clock_.Now();
  std::lock_guard lock(mu_);
  const Entry* e = table_.Find(address);
  if (e == nullptr || now >= e->locked_until) return std::nullopt;
  return RetryAfterSeconds(e->locked_until - now);
}

std::optional<std::chrono::seconds> LoginThrottle::RecordFailure(const std::string& address) {
  const MonoTime now = clock_.Now();
  std::lock_guard lock(mu_);
  Entry& e = table_.FindOrAdd(address, now);
  if (now < e.locked_until) return std::nullopt;  // a check that began before the lockout
  if (e.lockouts > 0 && now - e.last_failure >= options_.forget_after) e = Entry{};
  if (e.failures == 0 || now - e.window_start > options_.window) {
    e.failures = 0;
    e.window_start = now;
  }
  ++e.failures;
  e.last_failure = now;
  const int threshold = e.lockouts == 0 ? std::max(1, options_.max_failures) : 1;
  if (e.failures < threshold) return std::nullopt;
  auto lockout = options_.first_lockout * (int64_t{1} << std::min(e.lockouts, 20));
  lockout = std::min(lockout, options_.max_lockout);
  e.locked_until = now + lockout;
  e.failures = 0;
  ++e.lockouts;
  return lockout;
}

void LoginThrottle::RecordSuccess(const std::string& address) {
  std::lock_guard lock(mu_);
  table_.Erase(address);
}

size_t LoginThrottle::tracked_addresses() {
  std::lock_guard lock(mu_);
  return table_.size();
}

}  // namespace rockpool::auth
