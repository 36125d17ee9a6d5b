// LoginThrottle: failed sign-ins per client address. After `max_failures` wrong credentials
// within `window`, the address is locked out for `first_lockout`; once it has been locked out,
// each further failure locks it out again for twice as long, up to `max_lockout`. An address
// with no failure for `forget_after` starts afresh; a successful sign-in clears it at once.
// While locked out, an address is refused without its credentials being looked at (so the
// answer says nothing about whether they were right).
//
// Memory is bounded: at most `max_addresses` addresses are tracked (see AddressTable for what
// happens beyond). Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "auth/address_table.h"
#include "auth/monotonic_clock.h"

namespace rockpool::auth {

struct ThrottleOptions {
  int max_failures = 5;                                   // before the first lockout
  std::chrono::seconds window{std::chrono::minutes(10)};  // failures older than this expire
  std::chrono::seconds first_lockout{30};                 // doubles with each lockout
  std::chrono::seconds max_lockout{std::chrono::minutes(15)};
  std::chrono::seconds forget_after{std::chrono::hours(1)};  // quiet time that clears lockouts
  size_t max_addresses = 10000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottleOptions options = {},
                         const MonotonicClock& clock = SteadyClock::Instance());

  // How long `address` must wait before it may try again; nullopt when it may now.
  std::optional<std::chrono::seconds> RetryAfter(const std::string& address);
  // Records a wrong sign-in; returns the lockout it started, if any.
  std::optional<std::chrono::seconds> RecordFailure(const std::string& address);
  void RecordSuccess(const std::string& address);

  size_t tracked_addresses();
  const ThrottleOptions& options() const { return options_; }

 private:
  struct Entry {
    int failures = 0;  // in the current window
    MonoTime window_start{};
    MonoTime last_failure{};
    MonoTime locked_until{};
    int lockouts = 0;  // since the address was last forgotten
  };
  bool Idle(const Entry& e, MonoTime now) const;

  const ThrottleOptions options_;
  const MonotonicClock& clock_;
  std::mutex mu_;
  AddressTable<Entry> table_;
};

// Whole seconds, rounded up and at least 1: the value of a Retry-After header.
std::chrono::seconds RetryAfterSeconds(std::chrono::nanoseconds wait);

}  // namespace rockpool::auth
