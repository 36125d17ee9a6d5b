#include "api/dashboard_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "store/temp_dir.h"

namespace rockpool::api {
namespace {

std::string Header(const ApiResponse& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

class DashboardFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.File("assets"));
    std::ofstream(dir_.File("index.html")) << "<html>index</html>";
    std::ofstream(dir_.File("assets/main.js")) << "console.log(1)";
    std::ofstream(dir_.path() + "/../secret-" + std::to_string(getpid())) << "secret";
  }
  void TearDown() override {
    std::filesystem::remove(dir_.path() + "/../secret-" + std::to_string(getpid()));
  }
  TempDir dir_;
};

TEST_F(DashboardFilesTest, LeavesApiPathsToTheHandler) {
  DashboardFiles files(dir_.path());
  EXPECT_FALSE(files.Serve("GET", "/api/workspaces"));
  EXPECT_FALSE(files.Serve("GET", "/api/health"));
  EXPECT_FALSE(files.Serve("GET", "/application"));
}

TEST_F(DashboardFilesTest, ServesAssetsWithTheirTypeAndFramingRules) {
  auto r = DashboardFiles(dir_.path()).Serve("GET", "/app/assets/main.js");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "console.log(1)");
  EXPECT_EQ(r->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(*r, "X-Frame-Options"), "DENY");
  EXPECT_EQ(Header(*r, "Content-Security-Policy"), "frame-ancestors 'none'");
}

TEST_F(DashboardFilesTest, RoutesOfTheAppGetIndexButMissingAssetsAre404) {
  DashboardFiles files(dir_.path());
  auto page = files.Serve("GET", "/app/workspaces/alpha");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body, "<html>index</html>");
  EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(files.Serve("GET", "/app/assets/nope.js")->status, 404);
}

TEST_F(DashboardFilesTest, NeverLeavesTheRoot) {
  DashboardFiles files(dir_.path());
  const std::string escape = "/app/../secret-" + std::to_string(getpid());
  auto r = files.Serve("GET", escape);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "<html>index</html>");
  EXPECT_EQ(files.Serve("GET", "/app/assets/../../secret-" + std::to_string(getpid()))->status,
            404);
  EXPECT_EQ(files.Serve("GET", "/app/assets/.hidden")->status, 404);
}

TEST_F(DashboardFilesTest, RedirectsRootAndAppAndRefusesWrites) {
  DashboardFiles files(dir_.path());
  auto root = files.Serve("GET", "/");
  EXPECT_EQ(root->status, 302);
  EXPECT_EQ(Header(*root, "Location"), "/app/workspaces");
  auto app = files.Serve("GET", "/app");
  EXPECT_EQ(app->status, 308);
  EXPECT_EQ(Header(*app, "Location"), "/app/");
  auto post = files.Serve("POST", "/app/workspaces");
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(Header(*post, "Allow"), "GET, HEAD");
  EXPECT_TRUE(files.Serve("HEAD", "/app/assets/main.js")->body.empty());
}

TEST_F(DashboardFilesTest, WorkspacePagesSayDevModeHasNoIde) {
  auto r = DashboardFiles(dir_.path()).Serve("GET", "/workspace/alpha/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("dev"), std::string::npos);
}

TEST_F(DashboardFilesTest, AnUnbuiltDashboardSaysHowToBuildIt) {
  TempDir empty;
  auto r = DashboardFiles(empty.path()).Serve("GET", "/app/workspaces");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("npm run build"), std::string::npos);
}

}  // namespace
}  // namespace rockpool::api
