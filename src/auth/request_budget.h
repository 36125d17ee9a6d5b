// RequestBudget: a token bucket per client address for the REST API. Each request takes one
// token; tokens come back at `requests_per_second` up to `burst`. The defaults are far above
// what a person with a few dashboard tabs (about 1 request/s each while something changes)
// and CLI scripts (create, then poll) ask for, and far below what one runaway client could
// otherwise take from everyone else (the API serves about 10,000 requests/s).
//
// Memory is bounded: at most `max_addresses` buckets (see AddressTable); a bucket that has
// filled up again holds no state and is the first dropped. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "auth/address_table.h"
#include "auth/monotonic_clock.h"

namespace rockpool::auth {

struct BudgetOptions {
  double requests_per_second = 50;  // sustained, per address
  double burst = 500;               // requests an idle address may send at once
  size_t max_addresses = 10000;
};

class RequestBudget {
 public:
  explicit RequestBudget(BudgetOptions options = {},
                         const MonotonicClock& clock = SteadyClock::Instance());

  // Takes one request from `address`'s budget. When it is spent, nothing is taken and the
  // answer is how long until one request is available again (the Retry-After).
  std::optional<std::chrono::seconds> Spend(const std::string& address);

  size_t tracked_addresses();
  const BudgetOptions& options() const { return options_; }

 private:
  struct Bucket {
    double spent = 0;  // tokens taken and not yet back; 0 is a full bucket
    MonoTime updated{};
  };
  double Refilled(const Bucket& b, MonoTime now) const;

  const BudgetOptions options_;
  const MonotonicClock& clock_;
  std::mutex mu_;
  AddressTable<Bucket> table_;
};

}  // namespace rockpool::auth
