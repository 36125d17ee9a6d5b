#include "auth/request_budget.h"

#include <algorithm>

#include "auth/login_throttle.h"

namespace rockpool::auth {

RequestBudget::RequestBudget(BudgetOptions options, const MonotonicClock& clock)
    : options_(options),
      clock_(clock),
      table_(options.max_addresses,
             [this](const Bucket& b, MonoTime now) { return Refilled(b, now) <= 0; }) {}

double RequestBudget::Refilled(const Bucket& b, MonoTime now) const {
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  return std::max(0.0, b.spent - elapsed * options_.requests_per_second);
}

std::optional<std::chrono::seconds> RequestBudget::Spend(const std::string& address) {
  const MonoTime now = clock_.Now();
  std::lock_guard lock(mu_);
  Bucket& b = table_.FindOrAdd(address, now);
  b.spent = Refilled(b, now);
  b.updated = now;
  const double burst = std::max(1.0, options_.burst);
  if (b.spent + 1 <= burst) {
    b.spent += 1;
    return std::nullopt;
  }
  const double wait = (b.spent + 1 - burst) / std::max(options_.requests_per_second, 1e-3);
  return RetryAfterSeconds(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(wait)));
}

size_t RequestBudget::tracked_addresses() {
  std::lock_guard lock(mu_);
  return table_.size();
}

}  // namespace rockpool::auth
