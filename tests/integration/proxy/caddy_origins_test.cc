// Port mode against a real Caddy: each port of the origin range serves, at /, the socket the
// fake control plane names in its forward-auth answer. It decides by the port in
// X-Forwarded-Host, as the real one does: the first port is alpha's IDE, the second alpha's
// port 3000, and the third whatever a test says (nothing by default).
#include <string>
#include <vector>

#include "caddy_fixture.h"
#include "raw_client.h"

namespace rockpool::testing {
namespace {

constexpr int kOrigins = 3;
constexpr char kRefused[] = "<p>not yours</p>";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool EndsWith(const std::string& text, const std::string& end) {
  return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

bool IsNotRunningPage(const HttpResponse& r) {
  return r.status == 404 && Contains(r.body, "This workspace or port is not running");
}

class CaddyOriginsTest : public CaddyTest {
 protected:
  void Configure(ProxyConfig& config) override {
    const int first = FreeLoopbackPorts(kOrigins);
    ASSERT_NE(first, 0) << "no " << kOrigins << " consecutive free ports";
    config.origin_first_port = first;
    config.origin_last_port = first + kOrigins - 1;
    ide_ = first;
    forwarded_ = first + 1;
    spare_ = first + 2;
    NameOnSpare("");
  }

  // The fake control plane from now on, with `socket` named for the spare port ("": none).
  // /signin... answers a redirect that sets a cookie, /forbidden... a 403 page.
  void NameOnSpare(const std::string& socket) {
    control_->SetResponder([this, socket](const RecordedRequest& r) {
      if (r.target.rfind("/internal/authorize", 0) != 0) return AllowEverything(r);
      const std::string uri = r.Header("X-Forwarded-Uri");
      if (uri.rfind("/signin", 0) == 0) {
        return Reply{302,
                     {{"Location", "/app/login?next=%2F"},
                      {"Set-Cookie", "rockpool_origin=t1; Path=/; HttpOnly"}},
                     ""};
      }
      if (uri.rfind("/forbidden", 0) == 0)
        return Reply{403, {{"Content-Type", "text/html"}}, kRefused};
      const std::string host = r.Header("X-Forwarded-Host");
      std::string named = socket;
      if (EndsWith(host, ":" + std::to_string(ide_))) named = "alpha.sock";
      if (EndsWith(host, ":" + std::to_string(forwarded_))) named = "alpha.3000.sock";
      HeaderList headers;
      if (!named.empty()) headers.emplace_back("X-Rockpool-Socket", named);
      return Reply{204, headers, ""};
    });
  }

  int ide_ = 0, forwarded_ = 0, spare_ = 0;
};

TEST_F(CaddyOriginsTest, TheFirstPortServesTheIdeAtTheRootWithThePathUnchanged) {
  HttpResponse r = Get(ide_, "/x?y=1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "alpha /x?y=1");
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Get(ide_, "/").body, "alpha /");
  EXPECT_EQ(Get(ide_, "/workspace/alpha/a%2Fb").body, "alpha /workspace/alpha/a%2Fb");
}

TEST_F(CaddyOriginsTest, TheSecondPortServesTheForwardedPort) {
  EXPECT_EQ(Get(forwarded_, "/api/items?page=2").body, "alpha.3000 /api/items?page=2");
  EXPECT_EQ(alpha_->requests(), 0);
}

TEST_F(CaddyOriginsTest, TheSubrequestCarriesTheOriginPortAndUri) {
  HttpRequest post;
  post.method = "POST";
  post.target = "/upload?to=/tmp";
  post.body = "file contents";
  EXPECT_EQ(Send(forwarded_, post).body, "alpha.3000 /upload?to=/tmp");
  auto asked = control_->RecordedUnder("/internal/authorize");
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].method, "GET");
  EXPECT_EQ(asked[0].Header("X-Forwarded-Host"), "127.0.0.1:" + std::to_string(forwarded_));
  EXPECT_EQ(asked[0].Header("X-Forwarded-Method"), "POST");
  EXPECT_EQ(asked[0].Header("X-Forwarded-Uri"), "/upload?to=/tmp");
  EXPECT_EQ(alpha3000_->Recorded().back().body_size, post.body.size());
}

TEST_F(CaddyOriginsTest, AClientCannotChooseTheSocket) {
  Headers forged = {{"X-Rockpool-Socket", "beta.sock"}};
  HttpResponse r = Get(spare_, "/", forged);
  EXPECT_TRUE(IsNotRunningPage(r)) << r.status << r.body;
  EXPECT_TRUE(Contains(r.body, "rockpool ws start")) << r.body;
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Get(ide_, "/", forged).body, "alpha /");  // the answer's socket wins
  EXPECT_EQ(beta_->requests(), 0);
  // The control plane never sees the client's header either.
  for (const auto& asked : control_->Recorded()) EXPECT_FALSE(asked.Has("X-Rockpool-Socket"));
}

TEST_F(CaddyOriginsTest, AnAnswerThatIsNoSocketNameServesNothing) {
  auto outside = TestUpstream::OnUnixSocket("outside", (dir_ / "x.sock").string());
  for (const char* socket : {"../x.sock", "beta.sock; rm", "../sockets/beta.sock", "BETA.sock",
                             "beta.sock/", "beta", "alpha.sock,beta.sock", "beta.x.sock"}) {
    NameOnSpare(socket);
    HttpResponse r = Get(spare_, "/");
    EXPECT_TRUE(IsNotRunningPage(r)) << socket << ": " << r.status << r.body;
  }
  EXPECT_EQ(beta_->requests() + alpha_->requests() + outside->requests(), 0);
}

TEST_F(CaddyOriginsTest, ANamedSocketThatIsNoFileGetsThePage) {
  NameOnSpare("nosuch.sock");
  EXPECT_TRUE(IsNotRunningPage(Get(spare_, "/")));
  NameOnSpare("beta.sock");
  EXPECT_EQ(Get(spare_, "/").body, "beta /");  // the same port, given to another workspace
}

TEST_F(CaddyOriginsTest, ALeftoverSocketWithoutListenerGetsA502Page) {
  MakeStaleSocket(SocketPath("stale.sock"));
  NameOnSpare("stale.sock");
  HttpResponse r = Get(spare_, "/x");
  EXPECT_EQ(r.status, 502);
  EXPECT_TRUE(Contains(r.body, "This workspace or port is not answering")) << r.body;
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
}

TEST_F(CaddyOriginsTest, TheWorkspaceNeverSeesTheSocketHeaderOrCredentials) {
  Get(ide_, "/",
      {{"X-Rockpool-Socket", "beta.sock"},
       {"Authorization", "Basic dXNlcjpwdw=="},
       {"Cookie", "rockpool_session=s1; theme=dark; ROCKPOOL_other=2"}});
  const std::vector<RecordedRequest> recorded = alpha_->Recorded();
  ASSERT_EQ(recorded.size(), 1u);
  const RecordedRequest& seen = recorded[0];
  EXPECT_FALSE(seen.Has("X-Rockpool-Socket"));
  EXPECT_FALSE(seen.Has("Authorization"));
  EXPECT_EQ(seen.Header("Cookie"), "theme=dark");
  // The control plane got the credentials: it decides by them.
  auto asked = control_->RecordedUnder("/internal/authorize");
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].Header("Authorization"), "Basic dXNlcjpwdw==");
  EXPECT_TRUE(Contains(asked[0].Header("Cookie"), "rockpool_session=s1"));
}

TEST_F(CaddyOriginsTest, ARedirectThatSetsACookieReachesTheClient) {
  HttpResponse r = Get(ide_, "/signin?next=/");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"), "/app/login?next=%2F");
  EXPECT_EQ(r.Header("Set-Cookie"), "rockpool_origin=t1; Path=/; HttpOnly");
  EXPECT_EQ(alpha_->requests(), 0);
}

TEST_F(CaddyOriginsTest, ARefusalPageReachesTheClient) {
  HttpResponse r = Get(ide_, "/forbidden");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body, kRefused);
  EXPECT_EQ(alpha_->requests(), 0);
}

TEST_F(CaddyOriginsTest, WebSocketUpgradesAreAuthorized) {
  WsClient ws(ide_, "/ws", {{"Authorization", "Basic dXNlcjpwdw=="}});
  ASSERT_EQ(ws.handshake_error(), "");
  EXPECT_EQ(ws.Echo("hello"), "hello");
  auto asked = control_->RecordedUnder("/internal/authorize");
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_FALSE(asked[0].upgrade);
  EXPECT_FALSE(asked[0].Has("Sec-WebSocket-Key"));
  EXPECT_EQ(asked[0].Header("X-Forwarded-Uri"), "/ws");
  EXPECT_EQ(asked[0].Header("X-Forwarded-Host"), "127.0.0.1:" + std::to_string(ide_));
  const std::vector<RecordedRequest> served = alpha_->Recorded();
  ASSERT_EQ(served.size(), 1u);
  EXPECT_TRUE(served[0].upgrade);
  EXPECT_FALSE(served[0].Has("X-Rockpool-Socket"));
  EXPECT_FALSE(served[0].Has("Authorization"));

  WsClient refused(ide_, "/forbidden/ws");
  EXPECT_EQ(refused.refused_status(), 403) << refused.handshake_error();
  EXPECT_EQ(alpha_->requests(), 1);
}

TEST_F(CaddyOriginsTest, DotSegmentsAre404BeforeAnyoneIsAsked) {
  RawResponse r = RawRequest(ide_, "GET", "/a/../x");
  EXPECT_EQ(r.status, 404) << r.error;
  EXPECT_EQ(alpha_->requests(), 0);
  EXPECT_TRUE(control_->Recorded().empty());
}

TEST_F(CaddyOriginsTest, TheOtherServersAreUnchanged) {
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/beta/x").body, "beta /x");
  EXPECT_EQ(Get(config_.control_port, "/api/health").body, "control /api/health");
}

class CaddyOriginsControlPlaneDownTest : public CaddyOriginsTest {
 protected:
  void Configure(ProxyConfig& config) override {
    CaddyOriginsTest::Configure(config);
    config.control_plane_upstreams = {"unix/" + (dir_ / "cp" / "gone.sock").string()};
  }
};

TEST_F(CaddyOriginsControlPlaneDownTest, NothingIsServed) {
  HttpResponse r = Get(ide_, "/", {{"X-Rockpool-Socket", "alpha.sock"}});
  EXPECT_EQ(r.status, 503);
  EXPECT_TRUE(Contains(r.body, "The control plane is not running")) << r.body;
  EXPECT_EQ(alpha_->requests(), 0);
}

}  // namespace
}  // namespace rockpool::testing
