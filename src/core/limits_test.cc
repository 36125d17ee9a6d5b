#include "core/limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace rockpool {
namespace {

using ::testing::HasSubstr;

SettingLookup From(std::map<std::string, std::string> env) {
  return [env = std::move(env)](std::string_view name) -> std::optional<std::string> {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

TEST(LimitsPolicyTest, MissingFieldsTakeTheDefaults) {
  LimitsPolicy policy;
  policy.defaults = {1.5, 1024, 512, 8};
  auto limits = policy.Resolve({.memory_mib = 4096});
  ASSERT_TRUE(limits.ok()) << limits.status().message();
  EXPECT_EQ(*limits, (WorkspaceLimits{1.5, 4096, 512, 8}));
  EXPECT_EQ(*policy.Resolve({}), policy.defaults);
}

TEST(LimitsPolicyTest, AValueAtTheMaximumIsAccepted) {
  LimitsPolicy policy;
  auto limits = policy.Resolve({2.0, 8192, 4096, 50});
  ASSERT_TRUE(limits.ok()) << limits.status().message();
  EXPECT_EQ(*limits, kDefaultMaxLimits);
}

TEST(LimitsPolicyTest, AboveTheMaximumIsOutOfRangeNamingFieldAndMaximum) {
  LimitsPolicy policy;
  Status cpus = policy.Resolve({.cpus = 2.5}).status();
  EXPECT_EQ(cpus.code(), Code::kOutOfRange);
  EXPECT_THAT(cpus.message(), HasSubstr("limits.cpus is 2.5"));
  EXPECT_THAT(cpus.message(), HasSubstr("maximum of 2 cores"));
  Status memory = policy.Resolve({.memory_mib = 8193}).status();
  EXPECT_EQ(memory.code(), Code::kOutOfRange);
  EXPECT_THAT(memory.message(), HasSubstr("limits.memoryMib is 8193"));
  EXPECT_THAT(memory.message(), HasSubstr("8192 MiB"));
  EXPECT_EQ(policy.Resolve({.processes = INT64_MAX}).status().code(), Code::kOutOfRange);
  Status huge = policy.Resolve({.cpus = 1e300}).status();
  EXPECT_EQ(huge.code(), Code::kOutOfRange);
  EXPECT_LT(huge.message().size(), 200u) << huge.message();
  EXPECT_THAT(policy.Resolve({.disk_gib = 51}).status().message(), HasSubstr("limits.diskGib"));
}

TEST(LimitsPolicyTest, NonPositiveOrTooSmallValuesAreInvalid) {
  LimitsPolicy policy;
  for (LimitsRequest bad : {LimitsRequest{.cpus = 0}, LimitsRequest{.cpus = -1},
                            LimitsRequest{.memory_mib = 0}, LimitsRequest{.memory_mib = 64},
                            LimitsRequest{.processes = -5}, LimitsRequest{.disk_gib = 0}}) {
    Status s = policy.Resolve(bad).status();
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << s.message();
    EXPECT_THAT(s.message(), HasSubstr("use at least"));
  }
}

TEST(LimitsPolicyTest, CpusMustBeAMultipleOfOneHundredth) {
  LimitsPolicy policy;
  EXPECT_TRUE(policy.Resolve({.cpus = 1.15}).ok());
  EXPECT_TRUE(policy.Resolve({.cpus = 0.01}).ok());
  Status s = policy.Resolve({.cpus = 0.125}).status();
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("multiple of 0.01"));
}

TEST(LimitsTest, CpuQuotaIsMillisecondsPer100ms) {
  EXPECT_EQ(CpuMillisPer100ms(1.5), 150);
  EXPECT_EQ(CpuMillisPer100ms(1.15), 115);
  EXPECT_EQ(CpuMillisPer100ms(0.01), 1);
  EXPECT_EQ(CpuMillisPer100ms(2), 200);
}

TEST(LimitsSettingsTest, UnsetSettingsGiveTheBuiltInPolicy) {
  auto policy = LimitsPolicyFromSettings(From({}));
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  EXPECT_EQ(policy->defaults, WorkspaceLimits{});
  EXPECT_EQ(policy->maximums, kDefaultMaxLimits);
  EXPECT_LE(policy->defaults.cpus, policy->maximums.cpus);
}

TEST(LimitsSettingsTest, ReadsEverySetting) {
  auto policy = LimitsPolicyFromSettings(From({{"ROCKPOOL_DEFAULT_CPUS", "0.5"},
                                               {"ROCKPOOL_DEFAULT_MEMORY_MIB", "1024"},
                                               {"ROCKPOOL_DEFAULT_PROCESSES", "256"},
                                               {"ROCKPOOL_DEFAULT_DISK_GIB", "5"},
                                               {"ROCKPOOL_MAX_CPUS", "8"},
                                               {"ROCKPOOL_MAX_MEMORY_MIB", "32768"},
                                               {"ROCKPOOL_MAX_PROCESSES", "10000"},
                                               {"ROCKPOOL_MAX_DISK_GIB", "200"}}));
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  EXPECT_EQ(policy->defaults, (WorkspaceLimits{0.5, 1024, 256, 5}));
  EXPECT_EQ(policy->maximums, (WorkspaceLimits{8, 32768, 10000, 200}));
}

TEST(LimitsSettingsTest, InvalidSettingsAreRefusedByName) {
  const std::map<std::string, std::string> cases[] = {
      {{"ROCKPOOL_DEFAULT_MEMORY_MIB", "2G"}},
      {{"ROCKPOOL_DEFAULT_MEMORY_MIB", " 2048"}},
      {{"ROCKPOOL_MAX_CPUS", "0"}},
      {{"ROCKPOOL_DEFAULT_PROCESSES", "-1"}},
      {{"ROCKPOOL_DEFAULT_DISK_GIB", "1.5"}},
      {{"ROCKPOOL_DEFAULT_CPUS", "0.333"}},
      {{"ROCKPOOL_MAX_MEMORY_MIB", "99999999999999"}},
  };
  for (const auto& env : cases) {
    auto policy = LimitsPolicyFromSettings(From(env));
    EXPECT_EQ(policy.status().code(), Code::kInvalidArgument) << env.begin()->first;
    EXPECT_THAT(policy.status().message(), HasSubstr(env.begin()->first));
  }
}

TEST(LimitsSettingsTest, ADefaultAboveItsMaximumIsRefused) {
  auto policy = LimitsPolicyFromSettings(From({{"ROCKPOOL_MAX_CPUS", "0.5"}}));
  EXPECT_EQ(policy.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(policy.status().message(),
              HasSubstr("ROCKPOOL_DEFAULT_CPUS (1) is above ROCKPOOL_MAX_CPUS (0.5)"));
}

}  // namespace
}  // namespace rockpool
