#include "runtime/incus/projects.h"

#include <gtest/gtest.h>

#include "runtime/incus/fake_daemon_test_util.h"

namespace rockpool::incus {
namespace {

using testing::Error;
using testing::FakeDaemon;
using testing::Sync;

ProjectSpec Spec() {
  return {.name = "rockpool",
          .owner = "/var/lib/rockpool",
          .pool = "rockpool",
          .network = "rpbr0",
          .subnet = "10.187.42.1/24"};
}

Json Project(const std::string& owner) {
  Json config = {{"features.images", "false"}, {"features.profiles", "true"}};
  if (!owner.empty()) config[kProjectOwnerKey] = owner;
  return {{"name", "rockpool"}, {"config", config}, {"description", ""}};
}

Json WantedDevices() {
  return {{"root", {{"type", "disk"}, {"path", "/"}, {"pool", "rockpool"}}},
          {"eth0", {{"type", "nic"}, {"network", "rpbr0"}, {"name", "eth0"}}}};
}

// A daemon with the pool and the bridge; the project and its profile as given.
void Basics(FakeDaemon& d) {
  d.On("GET", "/1.0/storage-pools/rockpool", Sync({{"driver", "btrfs"}}));
  d.On("GET", "/1.0/networks/rpbr0", Sync({{"config", {{"ipv4.address", "10.187.42.1/24"}}}}));
  d.On("POST", "/1.0/projects", Sync(nullptr));
  d.On("PUT", "/1.0/profiles/default?project=rockpool", Sync(nullptr));
  d.On("GET", "/1.0/profiles/default?project=rockpool", Sync({{"devices", Json::object()}}));
  d.On("GET", "/1.0/projects?recursion=1", Sync(Json::array()));
}

TEST(ProjectNameTest, AcceptsDnsLikeNamesAndRefusesDefault) {
  EXPECT_TRUE(ValidateProjectName("rockpool").ok());
  EXPECT_TRUE(ValidateProjectName("rpt-0a1b2c").ok());
  for (const char* bad : {"", "default", "Rockpool", "-x", "a/b", "a?b", "x y"}) {
    Status s = ValidateProjectName(bad);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("ROCKPOOL_PROJECT"), std::string::npos) << s.message();
  }
}

TEST(IncusClientProjectTest, EveryRequestNamesTheProjectButTheServerAndProjectEndpoints) {
  FakeDaemon d;
  auto client = d.Client()->InProject("rpt-1");
  EXPECT_EQ(client->Scoped("/1.0/instances"), "/1.0/instances?project=rpt-1");
  EXPECT_EQ(client->Scoped("/1.0/instances?recursion=1"),
            "/1.0/instances?recursion=1&project=rpt-1");
  EXPECT_EQ(client->Scoped("/1.0/operations/x/wait?timeout=5"),
            "/1.0/operations/x/wait?timeout=5&project=rpt-1");
  EXPECT_EQ(client->Scoped("/1.0"), "/1.0");
  EXPECT_EQ(client->Scoped("/1.0/projects/rpt-1"), "/1.0/projects/rpt-1");
  EXPECT_EQ(client->Scoped("/1.0/profiles/default?project=other"),
            "/1.0/profiles/default?project=other");
  EXPECT_EQ(d.Client()->Scoped("/1.0/instances"), "/1.0/instances");
  d.On("GET", "/1.0/instances", Sync(Json::array()));
  ASSERT_TRUE(client->Call({.path = "/1.0/instances"}).ok());
  EXPECT_EQ(d.Sent("GET", "/1.0/instances?project=rpt-1").size(), 1u);
}

TEST(EnsureProjectTest, CreatesTheProjectOwnedByTheDeploymentAndSetsItsProfile) {
  FakeDaemon d;
  Basics(d);
  ASSERT_TRUE(EnsureProject(*d.Client(), Spec()).ok());
  auto posts = d.Sent("POST", "/1.0/projects");
  ASSERT_EQ(posts.size(), 1u);
  Json body = Json::parse(posts[0].body);
  EXPECT_EQ(body["name"], "rockpool");
  EXPECT_EQ(body["config"]["features.images"], "false");  // the image is shared
  EXPECT_EQ(body["config"]["features.profiles"], "true");
  EXPECT_EQ(body["config"][kProjectOwnerKey], "/var/lib/rockpool");
  auto puts = d.Sent("PUT", "/1.0/profiles/default?project=rockpool");
  ASSERT_EQ(puts.size(), 1u);
  EXPECT_EQ(Json::parse(puts[0].body)["devices"], WantedDevices());
  EXPECT_TRUE(d.Sent("POST", "/1.0/networks").empty());
}

TEST(EnsureProjectTest, LeavesARightProjectAlone) {
  FakeDaemon d;
  Basics(d);
  d.On("GET", "/1.0/projects/rockpool", Sync(Project("/var/lib/rockpool")));
  d.On("GET", "/1.0/profiles/default?project=rockpool", Sync({{"devices", WantedDevices()}}));
  ASSERT_TRUE(EnsureProject(*d.Client(), Spec()).ok());
  EXPECT_TRUE(d.Sent("POST", "/1.0/projects").empty());
  EXPECT_TRUE(d.Sent("PUT", "/").empty());
}

TEST(EnsureProjectTest, RefusesAProjectOfAnotherDeployment) {
  FakeDaemon d;
  Basics(d);
  d.On("GET", "/1.0/projects/rockpool", Sync(Project("/srv/other")));
  Status s = EnsureProject(*d.Client(), Spec());
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_NE(s.message().find("/srv/other"), std::string::npos) << s.message();
  EXPECT_TRUE(d.Sent("PUT", "/").empty());
  EXPECT_EQ(CheckProject(*d.Client(), "rockpool", "/var/lib/rockpool").code(), Code::kConflict);
  EXPECT_EQ(
      DeleteProject(*d.Client(), "rockpool", "/var/lib/rockpool", std::chrono::seconds(5)).code(),
      Code::kConflict);
  EXPECT_TRUE(d.Sent("DELETE", "/").empty());
}

TEST(EnsureProjectTest, ClaimsAnEmptyUnownedProjectButNotOneWithInstances) {
  FakeDaemon d;
  Basics(d);
  d.On("GET", "/1.0/projects/rockpool", Sync(Project("")));
  d.On("PUT", "/1.0/projects/rockpool", Sync(nullptr));
  d.On("GET", "/1.0/instances?project=rockpool", Sync(Json::array({"/1.0/instances/mine"})));
  EXPECT_EQ(EnsureProject(*d.Client(), Spec()).code(), Code::kConflict);
  EXPECT_TRUE(d.Sent("PUT", "/1.0/projects/rockpool").empty());

  d.On("GET", "/1.0/instances?project=rockpool", Sync(Json::array()));
  ASSERT_TRUE(EnsureProject(*d.Client(), Spec()).ok());
  auto claimed = d.Sent("PUT", "/1.0/projects/rockpool");
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(Json::parse(claimed[0].body)["config"][kProjectOwnerKey], "/var/lib/rockpool");
}

TEST(EnsureProjectTest, CreatesAMissingBridgeWithTheSubnetAndNeedsThePool) {
  FakeDaemon d;
  Basics(d);
  d.On("GET", "/1.0/networks/rpbr0", Error(404, "Network not found"));
  d.On("POST", "/1.0/networks", Sync(nullptr));
  ASSERT_TRUE(EnsureProject(*d.Client(), Spec()).ok());
  auto made = d.Sent("POST", "/1.0/networks");
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(Json::parse(made[0].body)["config"]["ipv4.address"], "10.187.42.1/24");

  d.On("GET", "/1.0/storage-pools/rockpool", Error(404, "Storage pool not found"));
  Status s = EnsureProject(*d.Client(), Spec());
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_NE(s.message().find("ROCKPOOL_POOL"), std::string::npos) << s.message();
}

TEST(EnsureProjectTest, RefusesABridgeAnotherDeploymentUses) {
  FakeDaemon d;
  Basics(d);
  Json other = {{"name", "rp-other"}, {"config", {{kProjectOwnerKey, "/srv/other"}}}};
  Json operators = {{"name", "mine"}, {"config", Json::object()}};
  d.On("GET", "/1.0/projects?recursion=1", Sync(Json::array({other, operators})));
  d.On("GET", "/1.0/profiles/default?project=rp-other",
       Sync({{"devices", {{"eth0", {{"type", "nic"}, {"network", "rpbr1"}}}}}}));
  ASSERT_TRUE(EnsureProject(*d.Client(), Spec()).ok()) << "another bridge is fine";

  d.On("GET", "/1.0/profiles/default?project=rp-other",
       Sync({{"devices", {{"eth0", {{"type", "nic"}, {"network", "rpbr0"}}}}}}));
  Status s = EnsureProject(*d.Client(), Spec());
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_NE(s.message().find("ROCKPOOL_BRIDGE"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("/srv/other"), std::string::npos) << s.message();
}

TEST(AdoptInstancesTest, MovesOnlyManagedInstancesTheCallerOwns) {
  FakeDaemon d;
  Json list = Json::array();
  auto instance = [](const std::string& name, bool managed) {
    Json config = Json::object();
    if (managed) config["user.rockpool.managed"] = "true";
    return Json{{"name", name}, {"status", "Stopped"}, {"config", config}};
  };
  list.push_back(instance("rp-mine", true));
  list.push_back(instance("rp-theirs", true));
  list.push_back(instance("rp-unlabelled", false));
  d.On("GET", "/1.0/instances?recursion=1&project=default", Sync(list));
  d.On("POST", "/1.0/instances/rp-mine?project=default", Sync(nullptr));
  auto moved = AdoptInstances(
      *d.Client(), "default", "rockpool", [](const std::string& n) { return n != "rp-theirs"; },
      std::chrono::seconds(5));
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(*moved, std::vector<std::string>{"rp-mine"});
  auto posts = d.Sent("POST", "/1.0/instances/");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(Json::parse(posts[0].body),
            (Json{{"name", "rp-mine"}, {"migration", true}, {"project", "rockpool"}}));
}

}  // namespace
}  // namespace rockpool::incus
