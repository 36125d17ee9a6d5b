// Nothing Rockpool-private reaches a workspace: the user's Authorization, Proxy-Authorization,
// X-Rockpool-* headers and rockpool* cookies are removed from every request proxied to an IDE
// or a forwarded port, WebSocket upgrades included. The fake workspaces record what they got.
#include "caddy_fixture.h"
#include "raw_client.h"

namespace rockpool::testing {
namespace {

const Headers kPrivate = {
    {"Authorization", "Basic YWRtaW46czNjcmV0"},
    {"Proxy-Authorization", "Basic YWRtaW46czNjcmV0"},
    {"X-Rockpool-Request", "dashboard"},
    {"X-Rockpool-Client-Address", "10.0.0.1"},
    {"x-rockpool-anything", "secret"},
    {"Cookie", "rockpool_session=s1; theme=dark; RockpoolToken=t2; other=1; rockpool=x"},
    {"X-Dev-App", "kept"}};

void ExpectNothingPrivate(const RecordedRequest& r) {
  EXPECT_FALSE(r.Has("Authorization")) << r.target;
  EXPECT_FALSE(r.Has("Proxy-Authorization")) << r.target;
  for (const auto& [name, value] : r.headers) {
    EXPECT_NE(name.rfind("X-Rockpool", 0), 0u) << name << " reached " << r.target;
    EXPECT_NE(name.rfind("x-rockpool", 0), 0u) << name << " reached " << r.target;
  }
  for (const auto& cookie : r.Values("Cookie")) {
    EXPECT_EQ(cookie.find("ockpool"), std::string::npos) << cookie;
  }
}

TEST_F(CaddyTest, IdeAndPortRequestsLoseCredentialsButKeepOtherCookies) {
  for (const char* path : {"/workspace/alpha/x", "/workspace/alpha/port/3000/x"}) {
    HttpResponse r = Get(config_.workspace_port, path, kPrivate);
    EXPECT_EQ(r.status, 200) << path;
  }
  for (auto* upstream : {alpha_.get(), alpha3000_.get()}) {
    auto seen = upstream->Recorded();
    ASSERT_EQ(seen.size(), 1u);
    ExpectNothingPrivate(seen[0]);
    EXPECT_EQ(seen[0].Values("Cookie"), std::vector<std::string>{"theme=dark; other=1"});
    EXPECT_EQ(seen[0].Header("X-Dev-App"), "kept");
  }
  // The control plane needed them to decide.
  auto asked = control_->RecordedUnder("/internal/authorize");
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_EQ(asked[0].Header("Authorization"), "Basic YWRtaW46czNjcmV0");
}

TEST_F(CaddyTest, EveryCookieLineIsCleanedAndOnlyRockpoolOnesGo) {
  for (const char* cookie : {"rockpool_session=s1", "ROCKPOOL_X=1;rockpool_y=2",
                             "a=1;rockpool_s=2;b=3", "  rockpool_s=2 ;  keep=yes"}) {
    alpha_.reset();  // a fresh recorder; the old one removes its socket file when it goes
    alpha_ = TestUpstream::OnUnixSocket("alpha", SocketPath("alpha.sock"));
    Get(config_.workspace_port, "/workspace/alpha/", {{"Cookie", cookie}});
    auto seen = alpha_->Recorded();
    ASSERT_EQ(seen.size(), 1u) << cookie;
    ExpectNothingPrivate(seen[0]);
  }
  EXPECT_EQ(alpha_->Recorded()[0].Header("Cookie"), "keep=yes");
  alpha_.reset();
  alpha_ = TestUpstream::OnUnixSocket("alpha", SocketPath("alpha.sock"));
  RawResponse r = RawRequest(config_.workspace_port, "GET", "/workspace/alpha/",
                             {{"Cookie", "rockpool_a=1; a=1"}, {"Cookie", "b=2; rockpool_b=2"}});
  EXPECT_EQ(r.status, 200) << r.error;
  ASSERT_EQ(alpha_->Recorded().size(), 1u);
  ExpectNothingPrivate(alpha_->Recorded()[0]);
  std::string all;
  for (const auto& c : alpha_->Recorded()[0].Values("Cookie")) all += c + "|";
  EXPECT_NE(all.find("a=1"), std::string::npos) << all;
  EXPECT_NE(all.find("b=2"), std::string::npos) << all;
}

TEST_F(CaddyTest, AnApiTokenReachesTheControlPlaneButNeverAWorkspace) {
  const std::string bearer = "Bearer rpt_" + std::string(43, 'A');
  for (const char* path : {"/workspace/alpha/x", "/workspace/alpha/port/3000/x"}) {
    EXPECT_EQ(Get(config_.workspace_port, path, {{"Authorization", bearer}}).status, 200) << path;
  }
  HeaderList headers = {{"Authorization", bearer}};
  WsClient ws(config_.workspace_port, "/workspace/alpha/ws", headers);
  ASSERT_EQ(ws.handshake_error(), "");
  for (auto* upstream : {alpha_.get(), alpha3000_.get()}) {
    for (const auto& seen : upstream->Recorded()) ExpectNothingPrivate(seen);
  }
  EXPECT_EQ(alpha_->Recorded().size(), 2u);
  auto asked = control_->RecordedUnder("/internal/authorize");
  ASSERT_EQ(asked.size(), 3u);
  for (const auto& a : asked) EXPECT_EQ(a.Header("Authorization"), bearer);
}

TEST_F(CaddyTest, WebSocketUpgradesLoseCredentialsToo) {
  HeaderList headers(kPrivate.begin(), kPrivate.end());
  for (const char* path : {"/workspace/alpha/ws", "/workspace/alpha/port/3000/ws"}) {
    WsClient ws(config_.workspace_port, path, headers);
    ASSERT_EQ(ws.handshake_error(), "") << path;
    EXPECT_EQ(ws.Echo("hi"), "hi");
  }
  for (auto* upstream : {alpha_.get(), alpha3000_.get()}) {
    auto seen = upstream->Recorded();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_TRUE(seen[0].upgrade);
    ExpectNothingPrivate(seen[0]);
    EXPECT_EQ(seen[0].Header("Cookie"), "theme=dark; other=1");
  }
}

}  // namespace
}  // namespace rockpool::testing
