// MonotonicClock: "now" for throttles and budgets, which measure intervals (a wall-clock jump
// must neither lock everyone out nor free an attacker). Tests move a FakeMonotonicClock by hand.
#pragma once

#include <atomic>
#include <chrono>

namespace rockpool::auth {

using MonoTime = std::chrono::steady_clock::time_point;

class MonotonicClock {
 public:
  virtual ~MonotonicClock() = default;
  virtual MonoTime Now() const = 0;
};

class SteadyClock final : public MonotonicClock {
 public:
  MonoTime Now() const override { return std::chrono::steady_clock::now(); }
  // A process-wide instance, the default of every throttle and budget.
  static const SteadyClock& Instance() {
    static const SteadyClock clock;
    return clock;
  }
};

// Moves only when told to. Thread-safe.
class FakeMonotonicClock final : public MonotonicClock {
 public:
  MonoTime Now() const override { return MonoTime(std::chrono::nanoseconds(now_ns_.load())); }
  void Advance(std::chrono::nanoseconds d) { now_ns_ += d.count(); }

 private:
  std::atomic<int64_t> now_ns_{int64_t{1'000'000'000'000}};  // far from zero, like a real clock
};

}  // namespace rockpool::auth
