// Forward auth against a fake control plane: it decides every dashboard and workspace request
// (WebSocket upgrades included); its refusals reach the client as they are; when it is down
// nothing protected is served.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include <nlohmann/json.hpp>

#include "caddy_fixture.h"
#include "raw_client.h"

namespace rockpool::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every protected path, on the server that serves it.
std::vector<std::pair<int, std::string>> Protected(const ProxyConfig& c) {
  return {{c.control_port, "/app"},
          {c.control_port, "/app/"},
          {c.control_port, "/app/workspaces/alpha"},
          {c.control_port, "/workspace/alpha/"},
          {c.workspace_port, "/workspace/alpha"},
          {c.workspace_port, "/workspace/alpha/"},
          {c.workspace_port, "/workspace/alpha/x?q=1"},
          {c.workspace_port, "/workspace/alpha/port/3000/"},
          {c.workspace_port, "/workspace/nosuch/"}};
}

Reply Refuse(int status, HeaderList headers, std::string body) {
  return Reply{status, std::move(headers), std::move(body)};
}

TEST_F(CaddyTest, AllowedRequestsContinueToTheirRoute) {
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/alpha/x?q=1").body, "alpha /x?q=1");
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/alpha/port/3000/").body, "alpha.3000 /");
  EXPECT_EQ(Get(config_.control_port, "/app/").status, 200);
  EXPECT_EQ(Get(config_.control_port, "/workspace/alpha/").status, 302);
  EXPECT_EQ(control_->RecordedUnder("/internal/authorize").size(), 4u);
}

TEST_F(CaddyTest, TheSubrequestIsAPlainGetWithTheOriginalHeadersAndUri) {
  HttpRequest post;
  post.method = "POST";
  post.target = "/workspace/alpha/upload?to=/tmp";
  post.body = "file contents";
  post.headers = {{"Authorization", "Basic dXNlcjpwdw=="},
                  {"Cookie", "rockpool_session=s1; theme=dark"},
                  {"Origin", "http://127.0.0.1:" + std::to_string(config_.workspace_port)},
                  {"Sec-Fetch-Site", "same-origin"},
                  {"X-Forwarded-Host", "forged.example"},
                  {"Content-Type", "text/plain"}};
  HttpResponse r = Send(config_.workspace_port, post);
  EXPECT_EQ(r.body, "alpha /upload?to=/tmp");
  EXPECT_EQ(alpha_->Recorded().back().body_size, post.body.size());  // the body went on

  auto asked = control_->RecordedUnder("/internal/authorize");
  ASSERT_EQ(asked.size(), 1u);
  const RecordedRequest& a = asked[0];
  EXPECT_EQ(a.method, "GET");
  EXPECT_EQ(a.target, "/internal/authorize");
  EXPECT_EQ(a.body_size, 0u);
  EXPECT_EQ(a.Header("X-Forwarded-Method"), "POST");
  EXPECT_EQ(a.Header("X-Forwarded-Uri"), "/workspace/alpha/upload?to=/tmp");
  EXPECT_EQ(a.Header("X-Forwarded-Host"), "127.0.0.1:" + std::to_string(config_.workspace_port));
  EXPECT_EQ(a.Header("X-Forwarded-Proto"), "http");
  EXPECT_EQ(a.Header("Authorization"), "Basic dXNlcjpwdw==");
  EXPECT_EQ(a.Header("Cookie"), "rockpool_session=s1; theme=dark");
  EXPECT_EQ(a.Header("Sec-Fetch-Site"), "same-origin");
  EXPECT_EQ(a.Header("X-Rockpool-Client-Address"), "127.0.0.1");
}

TEST_F(CaddyTest, A401IsPassedThroughWithItsChallengeAndNothingIsServed) {
  control_->SetResponder([](const RecordedRequest&) {
    return Refuse(401, {{"WWW-Authenticate", "Basic realm=\"Rockpool\""}},
                  R"({"error":{"code":"unauthenticated"}})");
  });
  for (const auto& [port, path] : Protected(config_)) {
    HttpResponse r = Get(port, path);
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.Header("WWW-Authenticate"), "Basic realm=\"Rockpool\"") << path;
    EXPECT_EQ(r.body, R"({"error":{"code":"unauthenticated"}})") << path;
  }
  EXPECT_EQ(alpha_->requests(), 0);
  EXPECT_EQ(alpha3000_->requests(), 0);
}

TEST_F(CaddyTest, A429IsPassedThroughWithRetryAfter) {
  control_->SetResponder([](const RecordedRequest&) {
    return Refuse(429, {{"Retry-After", "17"}}, "slow down");
  });
  for (const auto& [port, path] : Protected(config_)) {
    HttpResponse r = Get(port, path);
    EXPECT_EQ(r.status, 429) << path;
    EXPECT_EQ(r.Header("Retry-After"), "17") << path;
    EXPECT_EQ(r.body, "slow down") << path;
  }
  EXPECT_EQ(alpha_->requests(), 0);
}

TEST_F(CaddyTest, A403AndA500AreAnswersToo) {
  control_->SetResponder([](const RecordedRequest& r) {
    return Contains(r.Header("X-Forwarded-Uri"), "port") ? Refuse(500, {}, "broken")
                                                         : Refuse(403, {}, "not yours");
  });
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/alpha/").status, 403);
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/alpha/port/3000/").body, "broken");
  EXPECT_EQ(alpha_->requests() + alpha3000_->requests(), 0);
}

TEST_F(CaddyTest, WebSocketUpgradeGoesThroughForwardAuth) {
  WsClient ws(config_.workspace_port, "/workspace/alpha/ws",
              {{"Authorization", "Basic dXNlcjpwdw=="}});
  ASSERT_EQ(ws.handshake_error(), "");
  EXPECT_EQ(ws.Echo("hello"), "hello");
  auto asked = control_->RecordedUnder("/internal/authorize");
  ASSERT_EQ(asked.size(), 1u);
  const RecordedRequest& a = asked[0];
  EXPECT_FALSE(a.upgrade);
  EXPECT_EQ(a.method, "GET");
  EXPECT_FALSE(a.Has("Upgrade"));
  EXPECT_FALSE(a.Has("Sec-WebSocket-Key"));
  EXPECT_FALSE(a.Has("Sec-WebSocket-Version"));
  EXPECT_FALSE(Contains(a.Header("Connection"), "pgrade"));
  EXPECT_EQ(a.Header("X-Forwarded-Uri"), "/workspace/alpha/ws");
  EXPECT_EQ(a.Header("Authorization"), "Basic dXNlcjpwdw==");
  ASSERT_EQ(alpha_->Recorded().size(), 1u);
  EXPECT_TRUE(alpha_->Recorded()[0].upgrade);
}

TEST_F(CaddyTest, ARefusedWebSocketUpgradeNeverReachesTheWorkspace) {
  control_->SetResponder([](const RecordedRequest&) {
    return Refuse(401, {{"WWW-Authenticate", "Basic realm=\"Rockpool\""}}, "");
  });
  WsClient ws(config_.workspace_port, "/workspace/alpha/ws");
  EXPECT_EQ(ws.refused_status(), 401) << ws.handshake_error();
  WsClient port(config_.workspace_port, "/workspace/alpha/port/3000/ws");
  EXPECT_EQ(port.refused_status(), 401) << port.handshake_error();
  EXPECT_EQ(alpha_->requests() + alpha3000_->requests(), 0);
}

TEST_F(CaddyTest, ApiGoesStraightToTheControlPlaneWithoutASubrequest) {
  EXPECT_EQ(Get(config_.control_port, "/api/v1/workspaces?limit=5").body,
            "control /api/v1/workspaces?limit=5");
  HttpResponse health = Get(config_.control_port, "/api/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "control /api/health");
  EXPECT_TRUE(control_->RecordedUnder("/internal/authorize").empty());
}

TEST_F(CaddyTest, TheControlPlaneDecidesApiAnswersItself) {
  control_->SetResponder([](const RecordedRequest& r) {
    if (r.target == "/api/health") return Reply{200, {}, "ok"};
    return Refuse(401, {{"WWW-Authenticate", "Basic realm=\"Rockpool\""}}, "no");
  });
  EXPECT_EQ(Get(config_.control_port, "/api/health").status, 200);
  HttpResponse r = Get(config_.control_port, "/api/v1/workspaces");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("WWW-Authenticate"), "Basic realm=\"Rockpool\"");
}

TEST_F(CaddyTest, CaddySetsTheClientAddressOverAForgedOne) {
  Headers forged = {{"X-Rockpool-Client-Address", "203.0.113.9"}};
  Get(config_.control_port, "/api/v1/workspaces", forged);
  Get(config_.workspace_port, "/workspace/alpha/", forged);
  Get(config_.control_port, "/app/", forged);
  auto seen = control_->Recorded();
  ASSERT_EQ(seen.size(), 3u);
  for (const auto& r : seen) {
    EXPECT_EQ(r.Values("X-Rockpool-Client-Address"), std::vector<std::string>{"127.0.0.1"})
        << r.target;
  }
}

class CaddyControlPlaneDownTest : public CaddyTest {
 protected:
  void Configure(ProxyConfig& config) override {
    config.control_plane_upstreams = {"unix/" + (dir_ / "cp" / "gone.sock").string()};
  }
};

TEST_F(CaddyControlPlaneDownTest, ProtectedPathsAnswer503AndServeNothing) {
  for (const auto& [port, path] : Protected(config_)) {
    HttpResponse r = Get(port, path);
    EXPECT_EQ(r.status, 503) << path;
    EXPECT_TRUE(Contains(r.body, "The control plane is not running")) << path << r.body;
  }
  WsClient ws(config_.workspace_port, "/workspace/alpha/ws");
  EXPECT_EQ(ws.refused_status(), 503) << ws.handshake_error();
  EXPECT_EQ(alpha_->requests() + alpha3000_->requests(), 0);
}

TEST_F(CaddyControlPlaneDownTest, ApiAnswers503Json) {
  for (const char* path : {"/api/v1/workspaces", "/api/health"}) {
    HttpResponse r = Get(config_.control_port, path);
    EXPECT_EQ(r.status, 503) << path;
    EXPECT_EQ(r.Header("Content-Type"), "application/json");
    auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["error"]["code"], "unavailable");
    EXPECT_TRUE(Contains(body["error"]["message"], "rockpool serve"));
  }
}

class CaddyTcpControlPlaneDownTest : public CaddyTest {
 protected:
  void Configure(ProxyConfig& config) override {
    config.control_plane_upstreams = {"127.0.0.1:" + std::to_string(FreeLoopbackPort())};
  }
};

TEST_F(CaddyTcpControlPlaneDownTest, ProtectedPathsAnswer503) {
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/alpha/").status, 503);
  EXPECT_EQ(Get(config_.control_port, "/app/").status, 503);
  EXPECT_EQ(Get(config_.control_port, "/api/v1/workspaces").status, 503);
  EXPECT_EQ(alpha_->requests(), 0);
}

class CaddyNoControlPlaneTest : public CaddyTest {
 protected:
  void Configure(ProxyConfig& config) override { config.control_plane_upstreams.clear(); }
};

TEST_F(CaddyNoControlPlaneTest, NothingProtectedIsServed) {
  for (const auto& [port, path] : Protected(config_)) {
    HttpResponse r = Get(port, path);
    EXPECT_EQ(r.status, 503) << path;
    EXPECT_TRUE(Contains(r.body, "The control plane is not running")) << path;
  }
  EXPECT_EQ(Get(config_.control_port, "/api/v1/workspaces").status, 503);
  EXPECT_EQ(alpha_->requests() + alpha3000_->requests(), 0);
}

class CaddyTcpControlPlaneTest : public CaddyTest {
 protected:
  void Configure(ProxyConfig& config) override {
    tcp_control_ = TestUpstream::OnLoopback("tcp-control");
    tcp_control_->SetResponder(AllowEverything);
    config.control_plane_upstreams = {"127.0.0.1:" + std::to_string(tcp_control_->port())};
  }
  std::unique_ptr<TestUpstream> tcp_control_;
};

TEST_F(CaddyTcpControlPlaneTest, AHostPortUpstreamWorksTheSame) {
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/alpha/").body, "alpha /");
  EXPECT_EQ(Get(config_.control_port, "/api/health").body, "control /api/health");
  EXPECT_EQ(tcp_control_->requests(), 2);
  EXPECT_EQ(control_->requests(), 0);
}

// Several serve processes: one that is down (its socket left behind, nothing listening) and
// two that answer. Every request is answered by one of the two, in turns; the one that is down
// costs none of them an error.
class CaddySeveralControlPlanesTest : public CaddyTest {
 protected:
  void Configure(ProxyConfig& config) override {
    const std::string gone = (dir_ / "cp" / "gone.sock").string();
    // A socket bound and closed: its file stays, and connecting to it is refused, as after a
    // process that was killed.
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, gone.c_str(), sizeof(addr.sun_path) - 1);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    close(fd);
    second_ = TestUpstream::OnUnixSocket("second", (dir_ / "cp" / "control-2.sock").string());
    second_->SetResponder(AllowEverything);
    config.control_plane_upstreams = {"unix/" + gone, config.control_plane_upstreams[0],
                                      "unix/" + (dir_ / "cp" / "control-2.sock").string()};
  }
  std::unique_ptr<TestUpstream> second_;
};

TEST_F(CaddySeveralControlPlanesTest, EveryRequestReachesAProcessThatAnswers) {
  ASSERT_TRUE(std::filesystem::exists(dir_ / "cp" / "gone.sock"));
  constexpr int kEach = 12;
  size_t sent = 0;
  for (int i = 0; i < kEach; ++i) {
    EXPECT_EQ(Get(config_.control_port, "/api/health").status, 200) << i;
    EXPECT_EQ(Get(config_.workspace_port, "/workspace/alpha/").body, "alpha /") << i;
    HttpRequest post;
    post.method = "POST";
    post.target = "/api/v1/workspaces";
    post.body = R"({"name":"w)" + std::to_string(i) + R"("})";
    post.headers = {{"Content-Type", "application/json"}};
    sent += post.body.size();
    HttpResponse r = Send(config_.control_port, post);
    EXPECT_EQ(r.status, 200) << i;
  }
  // Each request reached exactly one process (the forward-auth subrequests count too).
  EXPECT_EQ(control_->requests() + second_->requests(), 3 * kEach);
  EXPECT_GT(control_->requests(), kEach / 2);
  EXPECT_GT(second_->requests(), kEach / 2);
  // Each POST arrived once, with its whole body.
  size_t posted = 0, bytes = 0;
  for (const auto* up : {control_.get(), second_.get()}) {
    for (const auto& r : up->RecordedUnder("/api/v1/workspaces")) {
      ++posted;
      bytes += r.body_size;
    }
  }
  EXPECT_EQ(posted, size_t{kEach});
  EXPECT_EQ(bytes, sent);
  EXPECT_EQ(alpha_->requests(), kEach);
}

}  // namespace
}  // namespace rockpool::testing
