#include "cli/supervisor.h"

#include <signal.h>
#include <sys/wait.h>

#include <gtest/gtest.h>
#include <thread>

#include "sys/process.h"
#include "sys/process_lock.h"

namespace rockpool {
namespace {

using namespace std::chrono_literals;

SupervisorOptions FastOptions() {
  return {.tick = 5ms, .first_backoff = 100ms, .max_backoff = 400ms, .healthy_after = 60s};
}

// A real child process (`sleep`) that the supervisor starts and finds by its pid.
struct SleepChild {
  RealProcessRunner runner;
  int pid = 0;
  std::vector<std::chrono::steady_clock::time_point> started;
  SupervisedChild Child(const std::string& name) {
    return {.name = name,
            .start = [this]() -> Result<int> {
              RP_ASSIGN_OR_RETURN(pid, runner.SpawnDaemon({.argv = {"sleep", "600"}}, "/dev/null"));
              started.push_back(std::chrono::steady_clock::now());
              return pid;
            },
            .find = [this] { return ProcessRunning(pid) ? pid : 0; }};
  }
  void Kill() {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  ~SleepChild() {
    if (pid != 0) Kill();
  }
};

// Ticks until `done` or two seconds pass.
bool TickUntil(Supervisor& s, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    s.Tick();
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

TEST(SupervisorTest, RestartsAChildThatDiesAfterABackoffThatDoubles) {
  SleepChild child;
  Supervisor s({child.Child("caddy")}, FastOptions());
  s.Tick();
  ASSERT_EQ(s.starts("caddy"), 1);
  const int first = child.pid;
  EXPECT_TRUE(ProcessRunning(first));

  child.Kill();
  const auto killed = std::chrono::steady_clock::now();
  s.Tick();
  EXPECT_EQ(s.starts("caddy"), 1) << "restarted without waiting";
  ASSERT_TRUE(TickUntil(s, [&] { return s.starts("caddy") == 2; }));
  EXPECT_GE(child.started.back() - killed, 100ms);
  EXPECT_NE(child.pid, first);
  EXPECT_TRUE(ProcessRunning(child.pid));
  EXPECT_EQ(s.backoff("caddy"), 200ms);

  child.Kill();
  const auto killed_again = std::chrono::steady_clock::now();
  ASSERT_TRUE(TickUntil(s, [&] { return s.starts("caddy") == 3; }));
  EXPECT_GE(child.started.back() - killed_again, 200ms);
  EXPECT_EQ(s.backoff("caddy"), 400ms);
}

TEST(SupervisorTest, FailedStartsAreRetriedWithACappedBackoff) {
  int calls = 0;
  Supervisor s({{.name = "control plane",
                 .start = [&]() -> Result<int> {
                   ++calls;
                   return Status::Unavailable("no engine");
                 },
                 .find = [] { return 0; }}},
               FastOptions());
  s.Tick();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(s.backoff("control plane"), 200ms);
  s.Tick();
  EXPECT_EQ(calls, 1) << "retried before the backoff passed";
  ASSERT_TRUE(TickUntil(s, [&] { return calls == 3; }));
  EXPECT_EQ(s.backoff("control plane"), 400ms);
  ASSERT_TRUE(TickUntil(s, [&] { return calls == 4; }));
  EXPECT_EQ(s.backoff("control plane"), 400ms);
}

TEST(SupervisorTest, AdoptsARunningChildAndStartsInOrder) {
  std::vector<std::string> order;
  SleepChild serve;
  ASSERT_TRUE(serve.Child("x").start().ok());  // started by hand, not by the supervisor
  const int by_hand = serve.pid;
  Supervisor s({{.name = "caddy",
                 .start = [&]() -> Result<int> {
                   order.push_back("caddy");
                   return 1;
                 },
                 .find = [&] { return order.empty() ? 0 : 1; }},
                {.name = "control plane",
                 .start = [&]() -> Result<int> {
                   order.push_back("serve");
                   return 2;
                 },
                 .find = [&] { return ProcessRunning(by_hand) ? by_hand : 0; }}},
               FastOptions());
  s.Tick();
  s.Tick();
  EXPECT_EQ(order, std::vector<std::string>{"caddy"});
  EXPECT_EQ(s.starts("control plane"), 0);
}

TEST(SupervisorTest, RunStopsWhenAskedAndLeavesTheChildRunning) {
  SleepChild child;
  Supervisor s({child.Child("caddy")}, FastOptions());
  int ticks = 0;
  s.Run([&] { return ++ticks > 3; });
  EXPECT_EQ(s.starts("caddy"), 1);
  EXPECT_TRUE(ProcessRunning(child.pid));
}

}  // namespace
}  // namespace rockpool
