// Basic auth in front of the API, the dashboard and the workspaces, with a libxcrypt hash.
#include "auth/bcrypt.h"
#include "caddy_fixture.h"

namespace rockpool::testing {
namespace {

class CaddyAuthTest : public CaddyTest {
 protected:
  void Configure(ProxyConfig& config) override {
    api_ = TestUpstream::OnLoopback("api");
    auto hash = HashPassword("s3cret pass", 4);
    ASSERT_TRUE(hash.ok()) << hash.status().message();
    config.control_plane_upstream = "127.0.0.1:" + std::to_string(api_->port());
    config.auth = BasicAuth{"admin", *hash};
  }
  std::unique_ptr<TestUpstream> api_;
};

TEST_F(CaddyAuthTest, ProtectedPathsAnswer401WithoutCredentials) {
  for (auto [port, path] : {std::pair{config_.control_port, "/api/v1/workspaces"},
                            {config_.control_port, "/app/"},
                            {config_.control_port, "/workspace/alpha/"},
                            {config_.workspace_port, "/workspace/alpha/"},
                            {config_.workspace_port, "/workspace/alpha/port/3000/"}}) {
    HttpResponse r = Get(port, path);
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.Header("WWW-Authenticate"), "Basic realm=\"Rockpool\"") << path;
    EXPECT_EQ(Get(port, path, "admin:wrong").status, 401) << path;
  }
  EXPECT_EQ(alpha_->requests(), 0);
  EXPECT_EQ(api_->requests(), 0);
}

TEST_F(CaddyAuthTest, ProtectedPathsServeWithCredentials) {
  const std::string creds = "admin:s3cret pass";
  EXPECT_EQ(Get(config_.control_port, "/api/v1/workspaces", creds).body, "api /api/v1/workspaces");
  EXPECT_EQ(Get(config_.control_port, "/app/", creds).status, 200);
  EXPECT_EQ(Get(config_.control_port, "/workspace/alpha/", creds).status, 302);
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/alpha/x", creds).body, "alpha /x");
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/alpha/port/3000/", creds).body, "alpha.3000 /");
}

TEST_F(CaddyAuthTest, HealthNeedsNoCredentials) {
  HttpResponse r = Get(config_.control_port, "/api/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "api /api/health");
}

}  // namespace
}  // namespace rockpool::testing
