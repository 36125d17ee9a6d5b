// Limits as the daemon sees them: the keys, and that they ride on requests IncusRuntime makes
// anyway (the copy, the patch of a renamed spare) and cost a request at start only when the
// instance's differ.
#include "runtime/incus/limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "runtime/incus/fake_daemon_test_util.h"
#include "runtime/incus/hardening.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"

namespace rockpool::incus {
namespace {

using testing::Async;
using testing::FakeDaemon;
using ::testing::HasSubstr;
using testing::OperationDone;
using testing::Sync;

constexpr char kFingerprint[] = "d1337eb00d5ee5fba19039c359500f2bfaed6bcef2d0089f52014a77bdfb1fd8";
const WorkspaceLimits kLimits{1.5, 3072, 512, 12};

// An instance as the daemon returns it, hardened already (hardening.h), so what a test sees
// patched is the limits alone.
Json InstanceJson(const std::string& name, const std::string& status, Json config,
                  Json devices = Json::object()) {
  for (const auto& [key, value] : HardenedConfig({})) config[key] = value;
  devices[kNicDevice] = HardenedNic({});
  return {{"name", name},       {"status", status},        {"config", std::move(config)},
          {"devices", devices}, {"profiles", {"default"}}, {"architecture", "x86_64"}};
}

Json Profile(const std::string& pool) {
  return {{"name", "default"},
          {"devices",
           {{"eth0", {{"type", "nic"}, {"network", "rpbr0"}}},
            {"root", {{"type", "disk"}, {"path", "/"}, {"pool", pool}}}}}};
}

TEST(IncusLimitsTest, SpellsTheDaemonsKeys) {
  InstancePatch patch = LimitsPatch(kLimits, "rockpool");
  EXPECT_EQ(patch.config, (Config{{"limits.cpu.allowance", "150ms/100ms"},
                                  {"limits.memory", "3072MiB"},
                                  {"limits.processes", "512"}}));
  EXPECT_EQ(patch.devices.at("root"),
            (Device{{"type", "disk"}, {"path", "/"}, {"pool", "rockpool"}, {"size", "12GiB"}}));
  EXPECT_EQ(LimitsPatch({.cpus = 0.25}, "p").config.at(kCpuAllowanceKey), "25ms/100ms");
}

TEST(IncusLimitsTest, CarriesComparesOnlyThePatchsKeysAndDevices) {
  InstancePatch patch = LimitsPatch(kLimits, "rockpool");
  Instance instance;
  EXPECT_FALSE(Carries(instance, patch));
  instance.config = patch.config;
  instance.config["user.other"] = "x";
  instance.devices = patch.devices;
  instance.devices["code"] = {{"type", "proxy"}};
  EXPECT_TRUE(Carries(instance, patch));
  instance.devices["root"]["size"] = "10GiB";
  EXPECT_FALSE(Carries(instance, patch));
}

class IncusRuntimeLimitsTest : public ::testing::Test {
 protected:
  IncusRuntimeLimitsTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("rp-limits-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    daemon_.On("GET", "/1.0/images/aliases/rp-img",
               Sync({{"name", "rp-img"}, {"target", kFingerprint}}));
    daemon_.On("GET", "/1.0/operations/", OperationDone());
    daemon_.On("GET", "/1.0/profiles/default", Sync(Profile("tank")));
    daemon_.On("PATCH", "/1.0/instances/rp-abc", Sync(Json::object()));
    daemon_.On("PUT", "/1.0/instances/rp-abc/state", Async("op-start"));
  }
  ~IncusRuntimeLimitsTest() override { std::filesystem::remove_all(dir_); }

  IncusRuntime& Runtime(std::string pool = "") {
    IncusRuntimeOptions options;
    options.socket_dir = dir_.string();
    options.storage_pool = std::move(pool);
    runtime_ = std::make_unique<IncusRuntime>(daemon_.Client(), options, [](const std::string&) {
      return std::unique_ptr<HttpClient>(new FakeHttpClient());
    });
    return *runtime_;
  }
  void HaveInstance(const Json& instance) { daemon_.HaveInstance(instance); }
  std::vector<Json> Patches() const {
    std::vector<Json> out;
    for (const auto& r : daemon_.Sent("PATCH", "/1.0/instances/rp-abc")) {
      out.push_back(Json::parse(r.body));
    }
    return out;
  }

  std::filesystem::path dir_;
  FakeDaemon daemon_;
  std::unique_ptr<IncusRuntime> runtime_;
};

TEST_F(IncusRuntimeLimitsTest, ACopyCarriesTheLimitsInItsOneCreateRequest) {
  HaveInstance(InstanceJson("rp-tpl-d1337eb00d5e", "Stopped",
                            {{kLabelTemplate, "true"},
                             {kLabelTemplateReady, "true"},
                             {kLabelTemplateGeneration, kTemplateGeneration}}));
  daemon_.On("POST", "/1.0/instances", Async("op-create"));
  daemon_.On("POST", "/1.0/instances/rps-", testing::Error(404, "Instance not found"));
  ASSERT_TRUE(Runtime().Create("abc", "rp-img", kLimits).ok());
  std::vector<Json> posts;
  for (const auto& r : daemon_.Sent("POST", "/1.0/instances")) {
    if (r.target == "/1.0/instances") posts.push_back(Json::parse(r.body));
  }
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0]["config"][kCpuAllowanceKey], "150ms/100ms");
  EXPECT_EQ(posts[0]["config"][kMemoryKey], "3072MiB");
  EXPECT_EQ(posts[0]["config"][kProcessesKey], "512");
  EXPECT_EQ(posts[0]["devices"]["root"]["size"], "12GiB");
  EXPECT_EQ(posts[0]["devices"]["root"]["pool"], "tank");  // the profile's root pool
  EXPECT_EQ(posts[0]["devices"]["code"]["type"], "proxy");
  EXPECT_TRUE(Patches().empty());
}

TEST_F(IncusRuntimeLimitsTest, ARenamedSpareGetsTheLimitsInThePatchThatMakesItTheWorkspace) {
  HaveInstance(InstanceJson("rps-d1337eb00d5e", "Stopped",
                            {{kLabelSpare, "true"},
                             {kLabelSpareReady, "true"},
                             {kLabelTemplateGeneration, kTemplateGeneration}}));
  daemon_.On("POST", "/1.0/instances/rps-d1337eb00d5e", Async("op-rename"));
  ASSERT_TRUE(Runtime("rockpool").Create("abc", "rp-img", kLimits).ok());
  auto patches = Patches();
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_EQ(patches[0]["config"][kLabelWorkspace], "abc");
  EXPECT_EQ(patches[0]["config"][kMemoryKey], "3072MiB");
  EXPECT_EQ(patches[0]["devices"]["root"],
            Json({{"type", "disk"}, {"path", "/"}, {"pool", "rockpool"}, {"size", "12GiB"}}));
  EXPECT_TRUE(daemon_.Sent("GET", "/1.0/profiles/").empty()) << "the configured pool is used";
}

TEST_F(IncusRuntimeLimitsTest, StartGivesAStoppedInstanceWithOtherLimitsTheseBeforeStarting) {
  // Made before limits existed: no limit keys, the profile's root disk.
  HaveInstance(InstanceJson("rp-abc", "Stopped", {{kLabelManaged, "true"}}));
  ASSERT_TRUE(Runtime().Start("abc", kLimits).ok());
  auto patches = Patches();
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_EQ(patches[0]["config"][kCpuAllowanceKey], "150ms/100ms");
  EXPECT_EQ(patches[0]["devices"]["root"]["size"], "12GiB");
  const auto& log = daemon_.requests();
  auto patched = std::find_if(log.begin(), log.end(),
                              [](const HttpRequest& r) { return r.method == "PATCH"; });
  auto started =
      std::find_if(log.begin(), log.end(), [](const HttpRequest& r) { return r.method == "PUT"; });
  EXPECT_LT(patched - log.begin(), started - log.begin());
}

TEST_F(IncusRuntimeLimitsTest, StartOfAnInstanceThatHasTheLimitsSendsNoPatch) {
  InstancePatch limits = LimitsPatch(kLimits, "tank");
  Json config = limits.config;
  config[kLabelManaged] = "true";
  HaveInstance(InstanceJson("rp-abc", "Stopped", config, limits.devices));
  ASSERT_TRUE(Runtime().Start("abc", kLimits).ok());
  EXPECT_TRUE(Patches().empty());
  EXPECT_EQ(daemon_.Sent("PUT", "/1.0/instances/rp-abc/state").size(), 1u);
}

TEST_F(IncusRuntimeLimitsTest, ARunningInstanceKeepsItsLimitsUntilItsNextStart) {
  HaveInstance(InstanceJson("rp-abc", "Running", {{kLabelManaged, "true"}}));
  ASSERT_TRUE(Runtime().Start("abc", kLimits).ok());
  EXPECT_TRUE(Patches().empty());
}

TEST_F(IncusRuntimeLimitsTest, TheProfilesPoolIsReadOnce) {
  HaveInstance(InstanceJson("rp-abc", "Stopped", {{kLabelManaged, "true"}}));
  IncusRuntime& runtime = Runtime();
  ASSERT_TRUE(runtime.Start("abc", kLimits).ok());
  ASSERT_TRUE(runtime.Start("abc", kLimits).ok());
  EXPECT_EQ(daemon_.Sent("GET", "/1.0/profiles/default").size(), 1u);
}

TEST_F(IncusRuntimeLimitsTest, NoRootDiskInTheProfilesFailsClosedWithTheFix) {
  daemon_.On("GET", "/1.0/profiles/default", Sync({{"name", "default"}, {"devices", {}}}));
  HaveInstance(InstanceJson("rp-abc", "Stopped", {{kLabelManaged, "true"}}));
  Status s = Runtime().Start("abc", kLimits);
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr("lxc profile device add default root disk"));
  EXPECT_TRUE(daemon_.Sent("PUT", "/1.0/instances/rp-abc/state").empty()) << "not started";
}

}  // namespace
}  // namespace rockpool::incus
