#include "cli/supervisor.h"

#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <thread>

namespace rockpool {

Supervisor::Supervisor(std::vector<SupervisedChild> children, SupervisorOptions options)
    : options_(std::move(options)) {
  for (auto& c : children) {
    states_.push_back({.child = std::move(c), .backoff = options_.first_backoff});
  }
}

void Supervisor::Run(const std::function<bool()>& stop) {
  while (!stop()) {
    Tick();
    if (options_.on_tick) options_.on_tick();
    std::this_thread::sleep_for(options_.tick);
  }
}

void Supervisor::Tick() {
  ReapChildren();
  for (State& s : states_) Check(s);
}

// Children that exited are reaped here, with their exit status in the log.
void Supervisor::ReapChildren() {
  int wstatus = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
    std::string how = WIFEXITED(wstatus)
                          ? "exited with code " + std::to_string(WEXITSTATUS(wstatus))
                          : "was killed by signal " + std::to_string(WTERMSIG(wstatus));
    spdlog::warn("supervise: pid {} {}", pid, how);
  }
}

void Supervisor::Check(State& s) {
  const auto now = Clock::now();
  const int pid = s.child.find();
  if (pid != 0) {
    if (pid != s.pid) {
      if (s.pid == 0 && s.starts == 0)
        spdlog::info("supervise: {} runs (pid {})", s.child.name, pid);
      s.pid = pid;
      s.up_since = now;
    }
    if (now - s.up_since >= options_.healthy_after) s.backoff = options_.first_backoff;
    return;
  }
  if (s.pid != 0) {
    spdlog::warn("supervise: {} (pid {}) is gone after {} s; starting it again in {} ms",
                 s.child.name, s.pid,
                 std::chrono::duration_cast<std::chrono::seconds>(now - s.up_since).count(),
                 s.backoff.count());
    s.pid = 0;
    s.next_try = now + s.backoff;
    s.backoff = std::min(s.backoff * 2, options_.max_backoff);
  }
  if (now < s.next_try) return;
  ++s.starts;
  auto started = s.child.start();
  if (started.ok()) {
    spdlog::info("supervise: started {} (pid {})", s.child.name, *started);
    s.pid = *started;
    s.up_since = Clock::now();
    return;
  }
  spdlog::error("supervise: starting {} failed, next try in {} ms: {}", s.child.name,
                s.backoff.count(), started.status().message());
  s.next_try = Clock::now() + s.backoff;
  s.backoff = std::min(s.backoff * 2, options_.max_backoff);
}

const Supervisor::State* Supervisor::Find(const std::string& name) const {
  for (const State& s : states_) {
    if (s.child.name == name) return &s;
  }
  return nullptr;
}

int Supervisor::starts(const std::string& name) const {
  const State* s = Find(name);
  return s == nullptr ? 0 : s->starts;
}

std::chrono::milliseconds Supervisor::backoff(const std::string& name) const {
  const State* s = Find(name);
  return s == nullptr ? std::chrono::milliseconds(0) : s->backoff;
}

}  // namespace rockpool
