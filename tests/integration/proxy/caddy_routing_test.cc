// Routing through a real Caddy loaded with the bootstrap config (the fake control plane allows
// every request; forward auth itself is tested in caddy_forward_auth_test.cc).
#include <fstream>

#include "caddy_fixture.h"

namespace rockpool::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(CaddyTest, WorkspacePathReachesItsSocketWithPrefixStrippedAndQueryKept) {
  HttpResponse r = Get(config_.workspace_port, "/workspace/alpha/x?q=1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "alpha /x?q=1");
  EXPECT_EQ(r.Header("X-Seen-Forwarded-For"), "127.0.0.1");
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/beta/").body, "beta /");
}

TEST_F(CaddyTest, WorkspaceWithoutTrailingSlashRedirectsKeepingTheQuery) {
  HttpResponse r = Get(config_.workspace_port, "/workspace/alpha");
  EXPECT_EQ(r.status, 308);
  EXPECT_EQ(r.Header("Location"), "/workspace/alpha/");
  r = Get(config_.workspace_port, "/workspace/alpha?folder=/home/dev");
  EXPECT_EQ(r.status, 308);
  EXPECT_EQ(r.Header("Location"), "/workspace/alpha/?folder=/home/dev");
}

TEST_F(CaddyTest, PortPathReachesThePortSocket) {
  HttpResponse r = Get(config_.workspace_port, "/workspace/alpha/port/3000/api/items?page=2");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "alpha.3000 /api/items?page=2");
  r = Get(config_.workspace_port, "/workspace/alpha/port/3000");
  EXPECT_EQ(r.status, 308);
  EXPECT_EQ(r.Header("Location"), "/workspace/alpha/port/3000/");
}

TEST_F(CaddyTest, MissingWorkspaceGetsAClearPageNotAnEmpty200) {
  HttpResponse r = Get(config_.workspace_port, "/workspace/nosuch/");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(Contains(r.body, "Workspace \"nosuch\" is not running")) << r.body;
  r = Get(config_.workspace_port, "/workspace/alpha/port/4000/");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(Contains(r.body, "Port 4000 of workspace \"alpha\" is not forwarded")) << r.body;
}

TEST_F(CaddyTest, LeftoverSocketWithoutListenerGetsA502Page) {
  MakeStaleSocket(SocketPath("stale.sock"));
  HttpResponse r = Get(config_.workspace_port, "/workspace/stale/");
  EXPECT_EQ(r.status, 502);
  EXPECT_TRUE(Contains(r.body, "Workspace \"stale\" is not answering")) << r.body;
  MakeStaleSocket(SocketPath("alpha.5000.sock"));
  r = Get(config_.workspace_port, "/workspace/alpha/port/5000/x");
  EXPECT_EQ(r.status, 502);
  EXPECT_TRUE(Contains(r.body, "Port 5000 of workspace \"alpha\" is not answering")) << r.body;
}

TEST_F(CaddyTest, UnknownPathsAre404OnBothServers) {
  for (int port : {config_.workspace_port, config_.control_port}) {
    HttpResponse r = Get(port, "/nothing/here");
    EXPECT_EQ(r.status, 404) << port;
    EXPECT_TRUE(Contains(r.body, "Not found")) << r.body;
  }
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/UPPER/").status, 404);
}

TEST_F(CaddyTest, ControlServerRedirectsWorkspacesToTheWorkspacePort) {
  HttpResponse r = Get(config_.control_port, "/workspace/alpha/?folder=/src");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"), "http://127.0.0.1:" + std::to_string(config_.workspace_port) +
                                      "/workspace/alpha/?folder=/src");
}

TEST_F(CaddyTest, RootRedirectsToTheDashboardAndAppShowsAPlaceholder) {
  HttpResponse r = Get(config_.control_port, "/");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"), "/app/workspaces");
  r = Get(config_.control_port, "/app/");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(Contains(r.body, "dashboard is not installed")) << r.body;
  EXPECT_EQ(Get(config_.control_port, "/app").Header("Location"), "/app/");
}

class CaddyDashboardTest : public CaddyTest {
 protected:
  void Configure(ProxyConfig& config) override {
    auto root = dir_ / "web";
    std::filesystem::create_directories(root / "assets");
    std::ofstream(root / "index.html") << "<html>dashboard</html>";
    std::ofstream(root / "assets" / "index-3f2a.js") << "console.log(1)";
    config.dashboard_root = root.string();
  }
};

TEST_F(CaddyDashboardTest, FilesWithHistoryFallbackAndCacheHeaders) {
  for (const char* path : {"/app/", "/app/workspaces", "/app/workspaces/alpha"}) {
    HttpResponse r = Get(config_.control_port, path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<html>dashboard</html>") << path;
    EXPECT_EQ(r.Header("Cache-Control"), "no-cache") << path;
  }
  HttpResponse asset = Get(config_.control_port, "/app/assets/index-3f2a.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, "console.log(1)");
  EXPECT_EQ(asset.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Get(config_.control_port, "/app/assets/gone-0000.js").status, 404);
}

}  // namespace
}  // namespace rockpool::testing
