#include "runtime/incus/image_usage.h"

#include <gtest/gtest.h>

#include "runtime/incus/fake_daemon_test_util.h"

namespace rockpool::incus {
namespace {

using testing::FakeDaemon;

Json Instance(const std::string& name, const std::string& workspace, const std::string& image,
              bool tpl = false) {
  return {{"name", name},
          {"status", "Running"},
          {"config",
           {{"user.rockpool.managed", "true"},
            {"user.rockpool.workspace", workspace},
            {"user.rockpool.template", tpl ? "true" : "false"},
            {"user.rockpool.spare", "false"},
            {"user.rockpool.image", image}}}};
}

TEST(ImageUsageTest, ListsImagesWithTheirWorkspacesAndImagesRebuiltSince) {
  FakeDaemon daemon;
  daemon.On("GET", "/1.0/images?recursion=1",
            testing::Sync(Json::array(
                {{{"fingerprint", "new111"},
                  {"aliases", {{{"name", "rockpool-workspace"}}}},
                  {"properties", {{"description", "Rockpool workspace"}}},
                  {"created_at", "2026-01-02T00:00:00Z"},
                  {"size", 680000000}},
                 {{"fingerprint", "spare222"}, {"aliases", Json::array()}, {"size", 10}}})));
  daemon.On("GET", "/1.0/instances?recursion=1",
            testing::Sync(Json::array({Instance("rp-b", "b", "new111"),
                                       Instance("rp-a", "a", "new111"),
                                       Instance("rp-tpl-new111", "", "new111", true),
                                       Instance("rp-old", "old", "old999"),
                                       {{"name", "foreign"}, {"config", Json::object()}}})));
  auto client = daemon.Client();
  auto usage = ListImageUsage(*client, *client);
  ASSERT_TRUE(usage.ok()) << usage.status().ToString();
  ASSERT_EQ(usage->size(), 3u);
  const ImageUsage& current = (*usage)[0];
  EXPECT_EQ(current.fingerprint, "new111");
  EXPECT_EQ(current.aliases, std::vector<std::string>{"rockpool-workspace"});
  EXPECT_EQ(current.description, "Rockpool workspace");
  EXPECT_EQ(current.created_at, "2026-01-02T00:00:00Z");
  EXPECT_EQ(current.size, 680000000);
  EXPECT_EQ(current.workspaces, (std::vector<std::string>{"a", "b"}));  // not the template
  EXPECT_TRUE((*usage)[1].workspaces.empty());
  const ImageUsage& gone = (*usage)[2];
  EXPECT_EQ(gone.fingerprint, "old999");
  EXPECT_FALSE(gone.present);
  EXPECT_EQ(gone.workspaces, std::vector<std::string>{"old"});
}

TEST(ImageUsageTest, ADaemonErrorSaysWhatWasAsked) {
  FakeDaemon daemon;
  daemon.On("GET", "/1.0/images", testing::Error(500, "database locked"));
  auto client = daemon.Client();
  auto usage = ListImageUsage(*client, *client);
  EXPECT_EQ(usage.status().message(), "incus: list images: 500 database locked");
}

}  // namespace
}  // namespace rockpool::incus
