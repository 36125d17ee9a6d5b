// A real Caddy started through CaddyDaemon (admin API on a unix socket in its state dir) in a
// temp dir, bootstrapped with Rockpool's config on free loopback ports, with fake workspaces
// "alpha", "beta" and port alpha:3000 on unix sockets, and a fake control plane on a unix
// socket that allows every forward-auth subrequest unless a test says otherwise. Skips when
// /usr/bin/caddy is missing.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "http/curl_client.h"
#include "proxy/caddy/caddy_daemon.h"
#include "proxy/caddy/caddy_proxy.h"
#include "sys/process.h"
#include "test_upstream.h"

namespace rockpool::testing {

inline constexpr char kCaddyBinary[] = "/usr/bin/caddy";

// The fake control plane's default: 200 to /internal/authorize, "control <target>" otherwise.
Reply AllowEverything(const RecordedRequest& request);

class CaddyTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Adjusts the fixture's config before its one bootstrap. Tests that need another config
  // override this rather than loading a second one: Caddy can answer a connection that arrives
  // while a load swaps its servers with the previous config.
  virtual void Configure(ProxyConfig& /*config*/) {}

  // Loads `config` (the fixture's config when omitted) and fails the test on error.
  void Bootstrap(const ProxyConfig& config);
  // `request` on 127.0.0.1:<port>, retried on transport failures for a few seconds (a config
  // load can close a connection unanswered).
  HttpResponse Send(int port, HttpRequest request);
  HttpResponse Get(int port, const std::string& target, Headers headers = {});
  std::string SocketPath(const std::string& file) const { return sockets_ + "/" + file; }

  std::filesystem::path dir_;
  std::string sockets_;
  std::string admin_address_;  // unix/<dir>/state/admin.sock
  ProxyConfig config_;
  RealProcessRunner runner_;
  std::unique_ptr<CurlHttpClient> admin_http_;
  std::unique_ptr<CaddyProxy> proxy_;
  std::unique_ptr<CaddyDaemon> daemon_;
  std::unique_ptr<TestUpstream> control_;  // the fake control plane, <dir>/cp/control.sock
  std::unique_ptr<TestUpstream> alpha_, beta_, alpha3000_;
};

}  // namespace rockpool::testing
