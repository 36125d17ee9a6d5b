#include "proxy/fake/fake_proxy.h"

#include <gtest/gtest.h>

namespace rockpool {
namespace {

ProxyConfig Config() {
  ProxyConfig c;
  c.socket_dir = "/run/rockpool/sockets";
  return c;
}

TEST(FakeProxyTest, RecordsBootstrapCallsAndReportsBootstrapped) {
  FakeProxy proxy;
  EXPECT_FALSE(*proxy.IsBootstrapped(Config()));
  ASSERT_TRUE(proxy.Bootstrap(Config()).ok());
  ASSERT_EQ(proxy.bootstrap_calls().size(), 1u);
  EXPECT_EQ(proxy.bootstrap_calls()[0].socket_dir, "/run/rockpool/sockets");
  EXPECT_TRUE(*proxy.IsBootstrapped(Config()));
}

TEST(FakeProxyTest, AnotherConfigIsNotBootstrapped) {
  FakeProxy proxy;
  ASSERT_TRUE(proxy.Bootstrap(Config()).ok());
  ProxyConfig other = Config();
  other.control_plane_upstreams = {"unix//var/lib/rockpool/control.sock"};
  EXPECT_FALSE(*proxy.IsBootstrapped(other));
}

TEST(FakeProxyTest, AnotherBodyLimitIsNotBootstrapped) {
  FakeProxy proxy;
  ASSERT_TRUE(proxy.Bootstrap(Config()).ok());
  ProxyConfig other = Config();
  other.api_body_limit = 1024;
  EXPECT_FALSE(*proxy.IsBootstrapped(other));
}

TEST(FakeProxyTest, RestartForgetsTheConfig) {
  FakeProxy proxy;
  ASSERT_TRUE(proxy.Bootstrap(Config()).ok());
  proxy.Restart();
  EXPECT_FALSE(*proxy.IsBootstrapped(Config()));
}

TEST(FakeProxyTest, ConfiguredFailuresAreReturnedAndRecorded) {
  FakeProxy proxy;
  proxy.FailBootstrap(Status::Unavailable("caddy down"));
  proxy.FailPing(Status::Unavailable("caddy down"));
  proxy.FailIsBootstrapped(Status::Internal("boom"));
  EXPECT_EQ(proxy.Bootstrap(Config()).code(), Code::kUnavailable);
  EXPECT_EQ(proxy.Ping().code(), Code::kUnavailable);
  EXPECT_EQ(proxy.IsBootstrapped(Config()).status().code(), Code::kInternal);
  EXPECT_EQ(proxy.bootstrap_calls().size(), 1u);
  EXPECT_EQ(proxy.ping_calls(), 1);
  proxy.FailIsBootstrapped(Status::Ok());
  EXPECT_FALSE(*proxy.IsBootstrapped(Config()));  // the failed Bootstrap loaded nothing
}

}  // namespace
}  // namespace rockpool
