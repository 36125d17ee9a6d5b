// A real Caddy started through CaddyDaemon on free loopback ports in a temp dir, bootstrapped
// with Rockpool's config, with fake workspaces "alpha", "beta" and port alpha:3000 on unix
// sockets. Skips when /usr/bin/caddy is missing.
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
  // GET on 127.0.0.1:<port><target>, optionally with basic-auth credentials "user:password".
  HttpResponse Get(int port, const std::string& target, const std::string& credentials = "");
  std::string SocketPath(const std::string& file) const { return sockets_ + "/" + file; }

  std::filesystem::path dir_;
  std::string sockets_;
  std::string admin_address_;
  ProxyConfig config_;
  RealProcessRunner runner_;
  std::unique_ptr<CurlHttpClient> admin_http_;
  std::unique_ptr<CaddyProxy> proxy_;
  std::unique_ptr<CaddyDaemon> daemon_;
  std::unique_ptr<TestUpstream> alpha_, beta_, alpha3000_;
};

}  // namespace rockpool::testing
