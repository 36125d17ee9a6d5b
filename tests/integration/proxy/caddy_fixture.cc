#include "caddy_fixture.h"

#include "http/encoding.h"

#include <stdlib.h>

#include <chrono>
#include <thread>

namespace rockpool::testing {

void CaddyTest::SetUp() {
  if (!std::filesystem::exists(kCaddyBinary)) {
    GTEST_SKIP() << "Caddy is not installed at " << kCaddyBinary << " (apt install caddy)";
  }
  char tmpl[] = "/tmp/rp-caddy-it-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  sockets_ = (dir_ / "sockets").string();
  std::filesystem::create_directories(sockets_);
  admin_address_ = "127.0.0.1:" + std::to_string(FreeLoopbackPort());
  admin_http_ = std::make_unique<CurlHttpClient>(HttpEndpoint::Tcp("http://" + admin_address_));
  proxy_ = std::make_unique<CaddyProxy>(*admin_http_, admin_address_);
  CaddyDaemonOptions options;
  options.binary = kCaddyBinary;
  options.state_dir = (dir_ / "state").string();
  options.admin_address = admin_address_;
  daemon_ = std::make_unique<CaddyDaemon>(runner_, *proxy_, options);
  Status started = daemon_->EnsureRunning();
  ASSERT_TRUE(started.ok()) << started.message();

  alpha_ = TestUpstream::OnUnixSocket("alpha", SocketPath("alpha.sock"));
  beta_ = TestUpstream::OnUnixSocket("beta", SocketPath("beta.sock"));
  alpha3000_ = TestUpstream::OnUnixSocket("alpha.3000", SocketPath("alpha.3000.sock"));
  config_.socket_dir = sockets_;
  config_.control_port = FreeLoopbackPort();
  config_.workspace_port = FreeLoopbackPort();
  Configure(config_);
  if (HasFatalFailure()) return;
  Bootstrap(config_);
}

void CaddyTest::TearDown() {
  if (daemon_) {
    Status stopped = daemon_->Stop();
    EXPECT_TRUE(stopped.ok()) << stopped.message();
  }
  alpha_.reset();
  beta_.reset();
  alpha3000_.reset();
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

void CaddyTest::Bootstrap(const ProxyConfig& config) {
  Status loaded = proxy_->Bootstrap(config);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
}

HttpResponse CaddyTest::Get(int port, const std::string& target, const std::string& credentials) {
  CurlHttpClient client(HttpEndpoint::Tcp("http://127.0.0.1:" + std::to_string(port)));
  HttpRequest request;
  request.target = target;
  request.timeout = std::chrono::seconds(10);
  if (!credentials.empty())
    request.headers = {{"Authorization", "Basic " + rockpool::Base64(credentials)}};
  // A config load swaps Caddy's servers; a connection accepted in that moment can be closed
  // unanswered, so transport failures are retried until a deadline.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  auto response = client.Send(request);
  while (!response.ok() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    response = client.Send(request);
  }
  EXPECT_TRUE(response.ok()) << response.status().message();
  return response.ok() ? *response : HttpResponse{};
}

}  // namespace rockpool::testing
