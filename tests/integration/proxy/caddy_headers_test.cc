// Security headers on every kind of answer: Caddy's own pages, proxied answers, refusals the
// control plane sends through forward auth, and pages written by the error routes.
#include "caddy_fixture.h"
#include "raw_client.h"

namespace rockpool::testing {
namespace {

void ExpectControlHeaders(const RawResponse& r, const std::string& what) {
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << what;
  EXPECT_EQ(r.Header("Referrer-Policy"), "same-origin") << what;
  EXPECT_EQ(r.Header("X-Frame-Options"), "DENY") << what;
  EXPECT_EQ(r.Header("Content-Security-Policy"), "frame-ancestors 'none'") << what;
  int count = 0;
  for (const auto& [k, v] : r.headers) count += (k == "X-Frame-Options");
  EXPECT_EQ(count, 1) << what;
}

void ExpectWorkspaceHeaders(const RawResponse& r, const std::string& what) {
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << what;
  EXPECT_EQ(r.Header("Referrer-Policy"), "same-origin") << what;
  EXPECT_EQ(r.Header("X-Frame-Options"), "") << what;
  EXPECT_EQ(r.Header("Content-Security-Policy"), "") << what;
}

TEST_F(CaddyTest, ControlAnswersOfEveryKindCarryTheHeaders) {
  control_->SetResponder([](const RecordedRequest& r) {
    if (r.target == "/api/deny") return Reply{403, {{"X-Frame-Options", "SAMEORIGIN"}}, "no"};
    return AllowEverything(r);
  });
  for (const char* path : {"/app/", "/app", "/", "/nothing", "/api/health", "/api/deny",
                           "/app/../x", "/workspace/alpha/"}) {
    RawResponse r = RawRequest(config_.control_port, "GET", path);
    ASSERT_NE(r.status, 0) << path << r.error;
    ExpectControlHeaders(r, path);
  }
}

TEST_F(CaddyTest, AControlPlaneCspIsKeptAndFramingStillRefused) {
  control_->SetResponder([](const RecordedRequest&) {
    return Reply{
        200, {{"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"}}, "{}"};
  });
  RawResponse r = RawRequest(config_.control_port, "GET", "/api/v1/workspaces");
  EXPECT_EQ(r.Header("Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
}

TEST_F(CaddyTest, WorkspaceAnswersOfEveryKindCarryTheHeaders) {
  MakeStaleSocket(SocketPath("stale.sock"));
  for (const char* path :
       {"/workspace/alpha/x", "/workspace/alpha/port/3000/", "/workspace/alpha",
        "/workspace/nosuch/", "/nothing", "/workspace/stale/", "/workspace/a/../b/"}) {
    RawResponse r = RawRequest(config_.workspace_port, "GET", path);
    ASSERT_NE(r.status, 0) << path << r.error;
    ExpectWorkspaceHeaders(r, path);
  }
}

TEST_F(CaddyTest, RefusalsFromTheControlPlaneCarryTheHeaders) {
  control_->SetResponder([](const RecordedRequest&) { return Reply{401, {}, "no"}; });
  ExpectWorkspaceHeaders(RawRequest(config_.workspace_port, "GET", "/workspace/alpha/"), "ws 401");
  ExpectControlHeaders(RawRequest(config_.control_port, "GET", "/app/"), "app 401");
}

class CaddyHeadersDownTest : public CaddyTest {
 protected:
  void Configure(ProxyConfig& config) override {
    config.control_plane_upstreams = {"unix/" + (dir_ / "cp" / "gone.sock").string()};
  }
};

TEST_F(CaddyHeadersDownTest, ErrorPagesCarryTheHeaders) {
  RawResponse app = RawRequest(config_.control_port, "GET", "/app/");
  EXPECT_EQ(app.status, 503);
  ExpectControlHeaders(app, "app 503");
  RawResponse api = RawRequest(config_.control_port, "GET", "/api/v1/workspaces");
  EXPECT_EQ(api.status, 503);
  ExpectControlHeaders(api, "api 503");
  RawResponse ws = RawRequest(config_.workspace_port, "GET", "/workspace/alpha/");
  EXPECT_EQ(ws.status, 503);
  ExpectWorkspaceHeaders(ws, "ws 503");
}

}  // namespace
}  // namespace rockpool::testing
