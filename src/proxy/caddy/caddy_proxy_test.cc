#include "proxy/caddy/caddy_proxy.h"

#include <gtest/gtest.h>

#include "http/fake_client.h"

namespace rockpool {
namespace {

ProxyConfig Config() {
  ProxyConfig c;
  c.socket_dir = "/run/rockpool/sockets";
  return c;
}

TEST(CaddyProxyTest, BootstrapPostsTheWholeConfigToLoadWithOriginAndHost) {
  FakeHttpClient http;
  http.Enqueue(200, "");
  CaddyProxy proxy(http, "127.0.0.1:2999");
  ASSERT_TRUE(proxy.Bootstrap(Config()).ok());
  auto requests = http.requests();
  ASSERT_EQ(requests.size(), 1u);
  const HttpRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/load");
  EXPECT_EQ(nlohmann::json::parse(r.body), BuildBootstrapConfig(Config(), "127.0.0.1:2999"));
  HttpResponse as_headers{0, r.headers, ""};
  EXPECT_EQ(as_headers.Header("Origin"), "http://127.0.0.1:2999");
  EXPECT_EQ(as_headers.Header("Host"), "127.0.0.1:2999");
  EXPECT_EQ(as_headers.Header("Content-Type"), "application/json");
}

TEST(CaddyProxyTest, OnAUnixSocketTheHostIsEmptyAndThereIsNoOrigin) {
  FakeHttpClient http;
  http.Enqueue(200, "");
  CaddyProxy proxy(http, "unix//var/lib/rockpool/caddy/admin.sock");
  ASSERT_TRUE(proxy.Bootstrap(Config()).ok());
  auto requests = http.requests();
  const HttpRequest& r = requests[0];
  EXPECT_EQ(nlohmann::json::parse(r.body)["admin"]["listen"],
            "unix//var/lib/rockpool/caddy/admin.sock");
  HttpResponse as_headers{0, r.headers, ""};
  bool has_host = false;
  for (const auto& [k, v] : r.headers) has_host |= (k == "Host" && v.empty());
  EXPECT_TRUE(has_host);
  EXPECT_EQ(as_headers.Header("Origin"), "");
}

TEST(CaddyProxyTest, AdminEndpointIsTheSocketOrTheUrl) {
  HttpEndpoint unix = CaddyAdminEndpoint("unix//run/caddy/admin.sock");
  EXPECT_EQ(unix.unix_socket, "/run/caddy/admin.sock");
  HttpEndpoint tcp = CaddyAdminEndpoint("127.0.0.1:2019");
  EXPECT_EQ(tcp.unix_socket, "");
  EXPECT_EQ(tcp.base_url, "http://127.0.0.1:2019");
}

TEST(CaddyProxyTest, BootstrapErrorNamesTheOperationAndCaddysMessage) {
  FakeHttpClient http;
  http.Enqueue(400,
               R"({"error":"loading config: listen tcp :8081: bind: address already in use"})");
  CaddyProxy proxy(http);
  Status s = proxy.Bootstrap(Config());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "caddy: load config: 400 loading config: listen tcp :8081: bind: address already in "
            "use");
}

TEST(CaddyProxyTest, UnreachableAdminIsUnavailableWithTheFix) {
  FakeHttpClient http([](const HttpRequest&) -> Result<HttpResponse> {
    return Status::Unavailable("POST http://127.0.0.1:2019/load: Couldn't connect to server");
  });
  CaddyProxy proxy(http);
  Status s = proxy.Bootstrap(Config());
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find("caddy: load config: the admin API at 127.0.0.1:2019 does not "
                             "answer"),
            std::string::npos);
  EXPECT_NE(s.message().find("Couldn't connect"), std::string::npos);
  EXPECT_NE(s.message().find("rockpool up"), std::string::npos);
  EXPECT_EQ(proxy.Ping().code(), Code::kUnavailable);
}

TEST(CaddyProxyTest, IsBootstrappedAsksForTheMarkerId) {
  FakeHttpClient http;
  http.Enqueue(200, R"({"handle":[]})");
  CaddyProxy proxy(http);
  auto result = proxy.IsBootstrapped(Config());
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_TRUE(*result);
  EXPECT_EQ(http.requests()[0].method, "GET");
  EXPECT_EQ(http.requests()[0].target, "/id/" + BootstrapMarkerId(Config()));
}

TEST(CaddyProxyTest, IsBootstrappedFalseWhenTheMarkerIsUnknown) {
  FakeHttpClient http;
  http.Enqueue(404, R"({"error":"unknown object ID 'rockpool-config-0123456789abcdef'"})");
  CaddyProxy proxy(http);
  auto result = proxy.IsBootstrapped(Config());
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(*result);
}

TEST(CaddyProxyTest, IsBootstrappedReportsOtherAnswersAsErrors) {
  FakeHttpClient http;
  http.Enqueue(500, "oops");
  CaddyProxy proxy(http);
  auto result = proxy.IsBootstrapped(Config());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("caddy: read config marker rockpool-config-"),
            std::string::npos);
  EXPECT_NE(result.status().message().find("500 oops"), std::string::npos);
}

TEST(CaddyProxyTest, RunningConfigParsesTheAnswer) {
  FakeHttpClient http;
  http.Enqueue(200, "null\n");
  http.Enqueue(200, "not json");
  CaddyProxy proxy(http);
  auto empty = proxy.RunningConfig();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->is_null());
  EXPECT_EQ(proxy.RunningConfig().status().code(), Code::kInternal);
}

}  // namespace
}  // namespace rockpool
