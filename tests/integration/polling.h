// Waiting in integration tests: poll the condition until it holds or the deadline passes,
// never sleep for a fixed time. The pause between probes starts at 10 ms and doubles up to
// `max_pause`, so a condition that holds at once costs nothing and a slow one is not hammered.
#pragma once

#include <algorithm>
#include <chrono>
#include <thread>

namespace rockpool::itest {

// True as soon as `probe()` is; false when it still is not once `timeout` has passed (it is
// probed one last time at the deadline).
template <typename Probe>
bool PollUntil(Probe&& probe, std::chrono::milliseconds timeout,
               std::chrono::milliseconds max_pause = std::chrono::milliseconds(200)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::chrono::milliseconds pause(10);
  while (!probe()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, max_pause);
  }
  return true;
}

}  // namespace rockpool::itest
