#include "runtime/incus/quota_accounting.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/temp_dir.h"
#include "sys/fake_process.h"

namespace rockpool::incus {
namespace {

std::vector<std::string> Rescans(const FakeProcessRunner& runner) {
  std::vector<std::string> out;
  for (const ProcessSpec& spec : runner.ran()) {
    if (spec.argv.size() == 5 && spec.argv[1] == "quota" && spec.argv[2] == "rescan" &&
        spec.argv[3] == "-w") {
      out.push_back(spec.argv[4]);
    }
  }
  return out;
}

TEST(QuotaAccountingTest, AnInconsistentPoolIsRescannedAndAConsistentOneLeftAlone) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("rockpool"));
  FakeProcessRunner runner;
  runner.On("btrfs", {0,
                      {"WARNING: qgroup data inconsistent, rescan recommended",
                       "Qgroupid    Referenced    Exclusive   Path"}});
  auto rescanned = RepairQuotaAccounting(runner, dir.path());
  ASSERT_TRUE(rescanned.ok()) << rescanned.status().ToString();
  ASSERT_EQ(rescanned->size(), 1u);
  EXPECT_EQ(Rescans(runner), std::vector<std::string>{dir.File("rockpool")});

  FakeProcessRunner consistent;
  consistent.On("btrfs", {0, {"Qgroupid    Referenced    Exclusive   Path"}});
  EXPECT_TRUE(RepairQuotaAccounting(consistent, dir.path())->empty());
  EXPECT_TRUE(Rescans(consistent).empty());
}

TEST(QuotaAccountingTest, PoolsWithoutQuotasOrNotBtrfsAreSkipped) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("dir-pool"));
  FakeProcessRunner runner;
  runner.On("btrfs", {1, {"ERROR: can't list qgroups: quotas not enabled"}});
  EXPECT_TRUE(RepairQuotaAccounting(runner, dir.path())->empty());
  EXPECT_TRUE(Rescans(runner).empty());
  EXPECT_TRUE(RepairQuotaAccounting(runner, dir.File("missing"))->empty());
}

TEST(QuotaAccountingTest, TheMarkIsReadFromWhatBtrfsPrints) {
  EXPECT_TRUE(
      QuotaAccountingInconsistent("WARNING: qgroup data inconsistent, rescan recommended\n"));
  EXPECT_FALSE(QuotaAccountingInconsistent("Qgroupid Referenced Exclusive Path\n0/5 16KiB 16KiB"));
}

}  // namespace
}  // namespace rockpool::incus
