// Small helpers shared by the benchmark programs: timing, summaries, polling.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace rockpool::bench {

using Clock = std::chrono::steady_clock;

inline double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Summary {
  double median = 0, min = 0, max = 0;
  size_t n = 0;
};

inline Summary Summarize(std::vector<double> v) {
  Summary s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.n = v.size();
  s.min = v.front();
  s.max = v.back();
  s.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  return s;
}

// Polls `ready` every 20 ms until it returns true or `timeout` passes; false on timeout.
inline bool PollUntil(const std::function<bool()>& ready, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

inline void PrintRow(const std::string& what, const Summary& s, const char* unit = "s") {
  std::printf("%-58s median %7.3f %s   min %7.3f   max %7.3f   (n=%zu)\n", what.c_str(), s.median,
              unit, s.min, s.max, s.n);
}

}  // namespace rockpool::bench
