// Supervisor: keeps a few daemons running where no init system does it for Rockpool. Each
// tick it asks every child whether it runs (by lock or socket, not by pid file) and starts the
// ones that do not, in order, waiting longer after each failed or short-lived start.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"

namespace rockpool {

struct SupervisedChild {
  std::string name;  // "caddy", "control plane": for the log
  // Starts the child and returns its pid once it is ready.
  std::function<Result<int>()> start;
  // The pid of the running child (ours or one started by someone else), else 0.
  std::function<int()> find;
};

struct SupervisorOptions {
  std::chrono::milliseconds tick{250};
  std::chrono::milliseconds first_backoff{1000};
  std::chrono::milliseconds max_backoff{30'000};
  // A child that ran this long is healthy again: its next restart waits first_backoff.
  std::chrono::milliseconds healthy_after{60'000};
  std::function<void()> on_tick;  // e.g. log rotation
};

class Supervisor {
 public:
  Supervisor(std::vector<SupervisedChild> children, SupervisorOptions options);

  // Supervises until `stop` returns true (checked each tick). The children keep running.
  void Run(const std::function<bool()>& stop);
  // One pass: starts what is down and due. Exposed for tests.
  void Tick();

  int starts(const std::string& name) const;
  std::chrono::milliseconds backoff(const std::string& name) const;

 private:
  using Clock = std::chrono::steady_clock;
  struct State {
    SupervisedChild child;
    int pid = 0;
    int starts = 0;
    Clock::time_point up_since{};
    Clock::time_point next_try{};
    std::chrono::milliseconds backoff{};
  };
  void Check(State& s);
  void ReapChildren();
  const State* Find(const std::string& name) const;

  std::vector<State> states_;
  SupervisorOptions options_;
};

}  // namespace rockpool
