#include "caddy_fixture.h"

#include <stdlib.h>

#include <chrono>

#include "tests/integration/polling.h"

namespace rockpool::testing {

Reply AllowEverything(const RecordedRequest& request) {
  if (request.target.rfind("/internal/authorize", 0) == 0) return Reply{200, {}, "yes"};
  return Reply{200, {}, "control " + request.target};
}

void CaddyTest::SetUp() {
  if (!std::filesystem::exists(kCaddyBinary)) {
    GTEST_SKIP() << "Caddy is not installed at " << kCaddyBinary << " (apt install caddy)";
  }
  char tmpl[] = "/tmp/rp-caddy-it-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  sockets_ = (dir_ / "sockets").string();
  std::filesystem::create_directories(sockets_);
  std::filesystem::create_directories(dir_ / "cp");
  const std::string state = (dir_ / "state").string();
  admin_address_ = CaddyAdminSocketAddress(state);
  admin_http_ = std::make_unique<CurlHttpClient>(CaddyAdminEndpoint(admin_address_));
  proxy_ = std::make_unique<CaddyProxy>(*admin_http_, admin_address_);
  CaddyDaemonOptions options;
  options.binary = kCaddyBinary;
  options.state_dir = state;
  options.admin_address = admin_address_;
  daemon_ = std::make_unique<CaddyDaemon>(runner_, *proxy_, options);
  Status started = daemon_->EnsureRunning();
  ASSERT_TRUE(started.ok()) << started.message();

  const std::string control_socket = (dir_ / "cp" / "control.sock").string();
  control_ = TestUpstream::OnUnixSocket("control", control_socket);
  control_->SetResponder(AllowEverything);
  alpha_ = TestUpstream::OnUnixSocket("alpha", SocketPath("alpha.sock"));
  beta_ = TestUpstream::OnUnixSocket("beta", SocketPath("beta.sock"));
  alpha3000_ = TestUpstream::OnUnixSocket("alpha.3000", SocketPath("alpha.3000.sock"));
  config_.socket_dir = sockets_;
  config_.control_port = FreeLoopbackPort();
  config_.workspace_port = FreeLoopbackPort();
  config_.control_plane_upstreams = {"unix/" + control_socket};
  Configure(config_);
  if (HasFatalFailure()) return;
  Bootstrap(config_);
}

void CaddyTest::TearDown() {
  if (daemon_) {
    Status stopped = daemon_->Stop();
    EXPECT_TRUE(stopped.ok()) << stopped.message();
  }
  control_.reset();
  alpha_.reset();
  beta_.reset();
  alpha3000_.reset();
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

void CaddyTest::Bootstrap(const ProxyConfig& config) {
  Status loaded = proxy_->Bootstrap(config);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
}

HttpResponse CaddyTest::Send(int port, HttpRequest request) {
  CurlHttpClient client(HttpEndpoint::Tcp("http://127.0.0.1:" + std::to_string(port)));
  request.timeout = std::chrono::seconds(10);
  Result<HttpResponse> response = Status::Unavailable("not sent");
  itest::PollUntil([&] { return (response = client.Send(request)).ok(); }, std::chrono::seconds(5));
  EXPECT_TRUE(response.ok()) << response.status().message();
  return response.ok() ? *response : HttpResponse{};
}

HttpResponse CaddyTest::Get(int port, const std::string& target, Headers headers) {
  HttpRequest request;
  request.target = target;
  request.headers = std::move(headers);
  return Send(port, std::move(request));
}

}  // namespace rockpool::testing
