// `rockpool supervise` and `rockpool down` on a private state folder and free ports, with the
// real Caddy and a stand-in control plane (tests/integration/service/fake_serve.py) that needs
// no container engine: the supervisor restarts Caddy when it is killed and adopts a control
// plane started by hand; `down` stops all three, and fails naming one that will not stop.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "http/curl_client.h"
#include "proxy/caddy/caddy_daemon.h"
#include "proxy/caddy/caddy_proxy.h"
#include "sys/process.h"
#include "sys/process_lock.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/bin/caddy", X_OK) != 0) GTEST_SKIP() << "no caddy";
    root_ = "/tmp/rp-svc-" + std::to_string(getpid());
    state_ = root_ + "/state";
    fs::create_directories(state_);
    fs::permissions(root_, fs::perms::owner_all);
    fs::permissions(state_, fs::perms::owner_all);
    env_ = {"ROCKPOOL_STATE_DIR=" + state_, "ROCKPOOL_LOG_DIR=" + root_ + "/log",
            "ROCKPOOL_CONTROL_PORT=" + std::to_string(FreePort()),
            "ROCKPOOL_WORKSPACE_PORT=" + std::to_string(FreePort()),
            "ROCKPOOL_ENGINE_SOCKET=" + root_ + "/no-engine.sock"};
  }
  void TearDown() override {
    if (root_.empty()) return;
    // Whatever a failed test left running.
    for (int pid : {LockHolder(state_ + "/supervise.lock"), UnixSocketServerPid(AdminSocket()),
                    UnixSocketServerPid(state_ + "/local.sock"), fake_}) {
      if (pid > 0) kill(pid, SIGKILL);
    }
    fs::remove_all(root_);
  }
  std::string AdminSocket() const { return state_ + "/caddy/admin.sock"; }

  ProcessResult Rockpool(std::vector<std::string> args, std::vector<std::string> extra = {}) {
    args.insert(args.begin(), ROCKPOOL_BINARY);
    std::vector<std::string> env = env_;
    env.insert(env.end(), extra.begin(), extra.end());
    auto r = runner_.Run({.argv = args, .env = env});
    return r.ok() ? *r : ProcessResult{-1, r.status().message()};
  }
  int StartFakeServe(bool ignore_term) {
    std::vector<std::string> argv = {"python3", FAKE_SERVE, state_};
    if (ignore_term) argv.push_back("--ignore-term");
    auto pid = runner_.SpawnDaemon({.argv = argv}, root_ + "/fake-serve.log");
    EXPECT_TRUE(pid.ok());
    fake_ = pid.ok() ? *pid : 0;
    EXPECT_TRUE(Eventually([&] { return fs::exists(state_ + "/fake-serve.ready"); }))
        << Read(root_ + "/fake-serve.log");
    return fake_;
  }
  // Caddy's loaded config, or "" when its admin API does not answer.
  std::string CaddyConfig() {
    const std::string address = CaddyAdminSocketAddress(state_ + "/caddy");
    CurlHttpClient http(CaddyAdminEndpoint(address));
    auto config = CaddyProxy(http, address).RunningConfig();
    return config.ok() && !config->is_null() ? config->dump() : "";
  }
  bool Routed() {
    const std::string port = env_[2].substr(env_[2].find('=') + 1);
    return CaddyConfig().find(":" + port) != std::string::npos;
  }

  RealProcessRunner runner_;
  std::string root_, state_;
  std::vector<std::string> env_;
  int fake_ = 0;
};

TEST_F(ServiceTest, SupervisorRestartsCaddyAndDownStopsEverythingItFinds) {
  const int serve = StartFakeServe(/*ignore_term=*/false);
  fs::create_directories(root_ + "/log");
  std::vector<std::string> env = env_;
  auto supervisor = runner_.SpawnDaemon({.argv = {ROCKPOOL_BINARY, "supervise"}, .env = env},
                                        root_ + "/log/supervise.log");
  ASSERT_TRUE(supervisor.ok());
  const std::string log = root_ + "/log/supervise.log";
  ASSERT_TRUE(Eventually([&] { return Routed(); })) << Read(log);
  const int caddy = UnixSocketServerPid(AdminSocket());
  ASSERT_NE(caddy, 0);
  EXPECT_EQ(LockHolder(state_ + "/supervise.lock"), *supervisor);

  // A second supervisor refuses to run beside the first.
  ProcessResult second = Rockpool({"supervise"});
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.output.find("locked by pid " + std::to_string(*supervisor)), std::string::npos)
      << second.output;

  // Caddy killed: a new one serves the admin socket with the routes again.
  const auto killed = std::chrono::steady_clock::now();
  kill(caddy, SIGKILL);
  ASSERT_TRUE(Eventually([&] {
    const int now = UnixSocketServerPid(AdminSocket());
    return now != 0 && now != caddy && Routed();
  })) << Read(log);
  std::printf("[ measure ] caddy back with its routes %lld ms after SIGKILL\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - killed)
                                         .count()));
  const int caddy2 = UnixSocketServerPid(AdminSocket());
  EXPECT_NE(Read(log).find("caddy (pid " + std::to_string(caddy) + ") is gone"), std::string::npos)
      << Read(log);
  // The control plane started by hand is adopted, not doubled.
  EXPECT_NE(Read(log).find("control plane runs (pid " + std::to_string(serve) + ")"),
            std::string::npos)
      << Read(log);

  ProcessResult down = Rockpool({"down"});
  EXPECT_EQ(down.exit_code, 0) << down.output;
  EXPECT_NE(down.output.find("Rockpool is down"), std::string::npos) << down.output;
  EXPECT_FALSE(ProcessRunning(*supervisor));
  EXPECT_FALSE(ProcessRunning(serve));
  EXPECT_FALSE(ProcessRunning(caddy2));
  EXPECT_EQ(CaddyConfig(), "");

  // Nothing is left to stop: a second down succeeds too.
  ProcessResult again = Rockpool({"down"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
}

TEST_F(ServiceTest, DownFailsNamingAControlPlaneThatDoesNotStop) {
  const int serve = StartFakeServe(/*ignore_term=*/true);
  ProcessResult down = Rockpool({"down"}, {"ROCKPOOL_STOP_TIMEOUT_MS=300"});
  EXPECT_NE(down.exit_code, 0) << down.output;
  EXPECT_NE(
      down.output.find("still running: the control plane (pid " + std::to_string(serve) + ")"),
      std::string::npos)
      << down.output;
  EXPECT_EQ(down.output.find("Rockpool is down"), std::string::npos) << down.output;
  EXPECT_TRUE(ProcessRunning(serve));

  kill(serve, SIGKILL);
  ASSERT_TRUE(Eventually([&] { return !ProcessRunning(serve); }));
  ProcessResult after = Rockpool({"down"});
  EXPECT_EQ(after.exit_code, 0) << after.output;
}

TEST_F(ServiceTest, UninstallKeepsTheDataAndPurgeWithoutTheEngineTouchesNothing) {
  const int serve = StartFakeServe(/*ignore_term=*/false);
  std::ofstream(state_ + "/auth.json") << "{}";
  std::ofstream(state_ + "/supervise.lock") << "999999\n";  // names no live process

  ProcessResult purge = Rockpool({"uninstall", "--purge"});
  EXPECT_NE(purge.exit_code, 0) << purge.output;
  EXPECT_NE(purge.output.find("does not answer on " + root_ + "/no-engine.sock"), std::string::npos)
      << purge.output;
  EXPECT_TRUE(ProcessRunning(serve));
  EXPECT_TRUE(fs::exists(state_ + "/auth.json"));

  ProcessResult uninstall = Rockpool({"uninstall"});
  EXPECT_EQ(uninstall.exit_code, 0) << uninstall.output;
  EXPECT_FALSE(ProcessRunning(serve));
  EXPECT_TRUE(fs::exists(state_ + "/auth.json")) << "the data must stay without --purge";
  for (const char* gone : {"local.sock", "supervise.lock", "serve.lock"}) {
    EXPECT_FALSE(fs::exists(state_ + "/" + gone)) << gone;
  }
}

}  // namespace
}  // namespace rockpool
