#include "runtime/incus/hardening.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/incus/fake_daemon_test_util.h"
#include "runtime/incus/instance_names.h"

namespace rockpool::incus {
namespace {

using testing::Async;
using testing::FakeDaemon;
using ::testing::HasSubstr;
using testing::OperationDone;
using testing::Sync;

Instance Workspace(const std::string& ws, Config config = {}, Devices devices = {}) {
  config[kLabelManaged] = "true";
  config[kLabelWorkspace] = ws;
  return {.name = "rp-" + ws,
          .status = "Stopped",
          .config = config,
          .devices = devices,
          .etag = "\"e1\""};
}

Json ToInstanceJson(const Instance& i) {
  return {{"name", i.name}, {"status", i.status}, {"config", i.config}, {"devices", i.devices}};
}

TEST(HardeningTest, NicIsolatesThePortAndFiltersMacAndAddresses) {
  Device nic = HardenedNic({.network = "rpbr9"});
  EXPECT_EQ(nic.at("type"), "nic");
  EXPECT_EQ(nic.at("name"), "eth0");
  EXPECT_EQ(nic.at("network"), "rpbr9");
  for (const char* key : {"security.port_isolation", "security.mac_filtering",
                          "security.ipv4_filtering", "security.ipv6_filtering"}) {
    EXPECT_EQ(nic.at(key), "true") << key;
  }
  Config config = HardenedConfig({});
  EXPECT_EQ(config.at("security.idmap.isolated"), "true");
  EXPECT_EQ(config.at("security.devlxd"), "false");
  EXPECT_EQ(HardenedConfig({.isolated_idmap = false}).count("security.idmap.isolated"), 0u);
}

TEST(HardeningTest, AddHardeningOverridesTheProfileNicAndKeepsLabels) {
  InstancesPost post{.name = "rp-a", .config = {{kLabelWorkspace, "a"}}};
  AddHardening(post, {});
  EXPECT_EQ(post.config.at(kLabelWorkspace), "a");
  EXPECT_EQ(post.config.at("security.devlxd"), "false");
  EXPECT_EQ(post.devices.at("eth0").at("security.port_isolation"), "true");
}

TEST(HardeningTest, MissingHardeningNamesOnlyWhatIsMissing) {
  Instance done = Workspace("a", HardenedConfig({}), {{"eth0", HardenedNic({})}});
  InstancePatch none = MissingHardening(done, {});
  EXPECT_TRUE(none.config.empty() && none.devices.empty());

  Device weak = HardenedNic({});
  weak.erase("security.port_isolation");
  Instance old = Workspace("b", {{"security.devlxd", "true"}}, {{"eth0", weak}});
  InstancePatch patch = MissingHardening(old, {});
  EXPECT_EQ(patch.config,
            (Config{{"security.devlxd", "false"}, {"security.idmap.isolated", "true"}}));
  EXPECT_EQ(patch.devices.at("eth0"), HardenedNic({}));

  Instance other_bridge = Workspace("c", HardenedConfig({}), {{"eth0", HardenedNic({})}});
  EXPECT_EQ(MissingHardening(other_bridge, {.network = "rpbr1"}).devices.count("eth0"), 1u);
}

TEST(HardeningTest, HardenPatchesWithIfMatchOnlyWhenSomethingIsMissing) {
  FakeDaemon daemon;
  daemon.On("PATCH", "/1.0/instances/rp-", Sync(Json::object()));
  auto client = daemon.Client();
  ASSERT_TRUE(
      Harden(*client, Workspace("a", HardenedConfig({}), {{"eth0", HardenedNic({})}}), {}).ok());
  EXPECT_TRUE(daemon.Sent("PATCH", "/1.0/instances/").empty());

  ASSERT_TRUE(Harden(*client, Workspace("b"), {}).ok());
  auto patches = daemon.Sent("PATCH", "/1.0/instances/rp-b");
  ASSERT_EQ(patches.size(), 1u);
  Json body = Json::parse(patches[0].body);
  EXPECT_EQ(body["config"]["security.idmap.isolated"], "true");
  EXPECT_EQ(body["devices"]["eth0"]["network"], "rpbr0");
  bool if_match = false;
  for (const auto& [k, v] : patches[0].headers) if_match |= k == "If-Match" && v == "\"e1\"";
  EXPECT_TRUE(if_match);
}

TEST(HardeningTest, ShiftIdmapStartsAndStopsOnlyWhenTheMapIsPending) {
  FakeDaemon daemon;
  Instance pending =
      Workspace("a", {{"volatile.idmap.next", "[new]"}, {"volatile.last_state.idmap", "[shared]"}});
  EXPECT_TRUE(IdmapPending(pending));
  daemon.On("GET", "/1.0/instances/rp-a", Sync(ToInstanceJson(pending)));
  daemon.On("PUT", "/1.0/instances/rp-a/state", Async("op-state"));
  daemon.On("GET", "/1.0/operations/", OperationDone());
  auto client = daemon.Client();
  ASSERT_TRUE(ShiftIdmap(*client, "rp-a", std::chrono::seconds(5)).ok());
  auto states = daemon.Sent("PUT", "/1.0/instances/rp-a/state");
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(Json::parse(states[0].body)["action"], "start");
  EXPECT_EQ(Json::parse(states[1].body)["action"], "stop");
  EXPECT_EQ(Json::parse(states[1].body)["force"], true);

  Instance shifted =
      Workspace("b", {{"volatile.idmap.next", "[new]"}, {"volatile.last_state.idmap", "[new]"}});
  EXPECT_FALSE(IdmapPending(shifted));
  daemon.On("GET", "/1.0/instances/rp-b", Sync(ToInstanceJson(shifted)));
  ASSERT_TRUE(ShiftIdmap(*client, "rp-b", std::chrono::seconds(5)).ok());
  EXPECT_TRUE(daemon.Sent("PUT", "/1.0/instances/rp-b/state").empty());
}

TEST(HardeningTest, CheckHardeningNamesTheWorkspacesThatLackEachProtection) {
  FakeDaemon daemon;
  Config good = HardenedConfig({});
  good["volatile.idmap.base"] = "165536";
  Config twin = good;  // same range as "good": not isolated from it
  Config open = {{"security.devlxd", "true"}};
  Instance tpl = Workspace("tpl");
  tpl.config[kLabelTemplate] = "true";
  Json list = Json::array({ToInstanceJson(Workspace("good", good, {{"eth0", HardenedNic({})}})),
                           ToInstanceJson(Workspace("twin", twin, {{"eth0", HardenedNic({})}})),
                           ToInstanceJson(Workspace("open", open)), ToInstanceJson(tpl)});
  daemon.On("GET", "/1.0/instances", Sync(list));
  auto client = daemon.Client();
  auto checks = CheckHardening(*client, {});
  ASSERT_TRUE(checks.ok()) << checks.status().ToString();
  ASSERT_EQ(checks->size(), 3u);
  const HardeningCheck& nic = (*checks)[0];
  EXPECT_EQ(nic.what, "nic isolation");
  EXPECT_FALSE(nic.ok);
  EXPECT_EQ(nic.detail, "missing on open");
  EXPECT_THAT(nic.fix, HasSubstr("rockpool ws stop <name> && rockpool ws start <name>"));
  EXPECT_EQ((*checks)[1].detail, "missing on open");  // devlxd
  const HardeningCheck& idmap = (*checks)[2];
  EXPECT_FALSE(idmap.ok);
  EXPECT_THAT(idmap.detail, HasSubstr("missing on open"));
  EXPECT_THAT(idmap.detail, HasSubstr("good, twin share host ids from 165536"));
}

TEST(HardeningTest, CheckHardeningIsOkWhenEveryWorkspaceHasIt) {
  FakeDaemon daemon;
  Config a = HardenedConfig({});
  a["volatile.idmap.base"] = "165536";
  Config b = HardenedConfig({});
  b["volatile.idmap.base"] = "231072";
  daemon.On("GET", "/1.0/instances",
            Sync(Json::array({ToInstanceJson(Workspace("a", a, {{"eth0", HardenedNic({})}})),
                              ToInstanceJson(Workspace("b", b, {{"eth0", HardenedNic({})}}))})));
  auto client = daemon.Client();
  auto checks = CheckHardening(*client, {});
  ASSERT_TRUE(checks.ok());
  for (const auto& c : *checks) EXPECT_TRUE(c.ok) << c.what << ": " << c.detail;
  EXPECT_EQ((*checks)[0].detail,
            "eth0 on rpbr0 with port isolation and MAC/IP filtering on all 2 workspace "
            "instances");
}

}  // namespace
}  // namespace rockpool::incus
