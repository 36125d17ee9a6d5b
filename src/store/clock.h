// Clock: the one source of "now" for the store, the job queue, the worker and the reconciler,
// so tests move time by hand (FakeClock) instead of sleeping.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace rockpool {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() = 0;
};

class SystemClock : public Clock {
 public:
  TimePoint Now() override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1767225600)))  // 2026-01-01
      : now_(start) {}
  TimePoint Now() override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void Advance(std::chrono::milliseconds d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }

 private:
  std::mutex mu_;
  TimePoint now_;
};

// RFC 3339 in UTC with milliseconds, fixed width ("2026-01-01T00:00:00.000Z"), so the text
// sorts in time order.
std::string FormatTime(TimePoint t);
std::optional<TimePoint> ParseTime(std::string_view s);

// Milliseconds since the Unix epoch, the form the job tables keep.
int64_t ToMillis(TimePoint t);
TimePoint FromMillis(int64_t ms);

}  // namespace rockpool
