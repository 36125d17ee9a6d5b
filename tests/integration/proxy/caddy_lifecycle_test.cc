// What lifecycle operations rely on: a workspace appearing changes no config and closes no
// open WebSocket; IsBootstrapped tells a restarted (empty) Caddy; errors carry Caddy's words.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <vector>

#include <boost/asio.hpp>

#include "caddy_fixture.h"
#include "raw_client.h"

namespace rockpool::testing {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

TEST_F(CaddyTest, WebSocketStaysOpenWhileANewWorkspaceAppears) {
  WsClient ws(config_.workspace_port, "/workspace/alpha/ws");
  ASSERT_EQ(ws.handshake_error(), "");
  ASSERT_EQ(ws.Echo("before"), "before");
  auto config_before = proxy_->RunningConfig();
  ASSERT_TRUE(config_before.ok()) << config_before.status().message();

  auto gamma = TestUpstream::OnUnixSocket("gamma", SocketPath("gamma.sock"));
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/gamma/").body, "gamma /");

  auto config_after = proxy_->RunningConfig();
  ASSERT_TRUE(config_after.ok());
  EXPECT_EQ(*config_after, *config_before);
  EXPECT_TRUE(*proxy_->IsBootstrapped(config_));
  EXPECT_EQ(ws.Echo("after"), "after");
}

TEST_F(CaddyTest, IsBootstrappedAfterBootstrapAndNotAfterARestart) {
  auto loaded = proxy_->IsBootstrapped(config_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_TRUE(*loaded);
  ProxyConfig other = config_;
  other.dashboard_root = "/srv/web";
  EXPECT_FALSE(*proxy_->IsBootstrapped(other));

  ASSERT_TRUE(daemon_->Stop().ok());
  EXPECT_EQ(proxy_->Ping().code(), Code::kUnavailable);
  ASSERT_TRUE(daemon_->EnsureRunning().ok());
  auto after_restart = proxy_->IsBootstrapped(config_);
  ASSERT_TRUE(after_restart.ok()) << after_restart.status().message();
  EXPECT_FALSE(*after_restart);
}

TEST_F(CaddyTest, EnsureRunningLeavesARunningCaddyAlone) {
  std::ifstream before(daemon_->PidFile());
  int pid = 0;
  before >> pid;
  ASSERT_TRUE(daemon_->EnsureRunning().ok());
  std::ifstream after(daemon_->PidFile());
  int pid_after = 0;
  after >> pid_after;
  EXPECT_EQ(pid_after, pid);
}

TEST_F(CaddyTest, ACaddyOfOursOnAnotherAdminAddressIsReplaced) {
  // As after an upgrade that moved the admin endpoint: the old Caddy still holds the ports.
  std::ifstream in(daemon_->PidFile());
  int old_pid = 0;
  in >> old_pid;
  const std::string moved = CaddyAdminSocketAddress((dir_ / "state").string()) + ".new";
  CurlHttpClient http(CaddyAdminEndpoint(moved));
  CaddyProxy proxy(http, moved);
  CaddyDaemonOptions options;
  options.binary = kCaddyBinary;
  options.state_dir = (dir_ / "state").string();
  options.admin_address = moved;
  CaddyDaemon daemon(runner_, proxy, options);
  Status started = daemon.EnsureRunning();
  ASSERT_TRUE(started.ok()) << started.message();
  EXPECT_NE(kill(old_pid, 0), 0);              // the old one is gone
  ASSERT_TRUE(proxy.Bootstrap(config_).ok());  // so the ports are free again
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/alpha/").body, "alpha /");
  EXPECT_TRUE(daemon.Stop().ok());
}

TEST_F(CaddyTest, BootstrapOnABusyPortNamesTheOperationAndCaddysError) {
  asio::io_context io;
  asio::ip::tcp::acceptor busy(io, {asio::ip::make_address("0.0.0.0"), 0});
  ProxyConfig config = config_;
  config.workspace_port = busy.local_endpoint().port();
  Status s = proxy_->Bootstrap(config);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind("caddy: load config: 400 ", 0), 0u) << s.message();
  EXPECT_NE(s.message().find("address already in use"), std::string::npos) << s.message();
  EXPECT_TRUE(*proxy_->IsBootstrapped(config_));  // the old config keeps running
}

double MedianMicros(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

TEST_F(CaddyTest, MeasuresLatencyThroughCaddyAndBootstrapTime) {
  constexpr int kRequests = 300;
  CurlHttpClient via_caddy(
      HttpEndpoint::Tcp("http://127.0.0.1:" + std::to_string(config_.workspace_port)));
  CurlHttpClient direct(HttpEndpoint::Unix(SocketPath("alpha.sock")));
  auto measure = [](HttpClient& client, const std::string& target) {
    std::vector<double> micros;
    for (int i = 0; i < kRequests; ++i) {
      auto start = Clock::now();
      auto r = client.Send({.target = target});
      micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
      EXPECT_TRUE(r.ok() && r->status == 200);
    }
    return MedianMicros(micros);
  };
  double caddy_us = measure(via_caddy, "/workspace/alpha/x");
  double direct_us = measure(direct, "/x");
  std::vector<double> loads;
  for (int i = 0; i < 5; ++i) {
    auto start = Clock::now();
    ASSERT_TRUE(proxy_->Bootstrap(config_).ok());
    loads.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::cout << "median latency over " << kRequests << " requests: through caddy " << caddy_us
            << " us, direct to the unix socket " << direct_us << " us; bootstrap (POST /load) "
            << MedianMicros(loads) / 1000 << " ms median of 5\n";
  RecordProperty("caddy_median_us", std::to_string(caddy_us));
  RecordProperty("direct_median_us", std::to_string(direct_us));
  RecordProperty("bootstrap_median_ms", std::to_string(MedianMicros(loads) / 1000));
}

}  // namespace
}  // namespace rockpool::testing
