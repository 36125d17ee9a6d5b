#include "runtime/incus/quota_accounting.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/temp_dir.h"
#include "sys/fake_process.h"

namespace rockpool::incus {
namespace {

constexpr char kUuid[] = "b235e18a-c874-470c-9d77-11913e4b7fee";

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

int Runs(const FakeProcessRunner& runner, const std::string& subcommand) {
  int n = 0;
  for (const ProcessSpec& spec : runner.ran())
    n += spec.argv.size() > 1 && spec.argv[1] == subcommand;
  return n;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A pools folder with pool "rockpool", and a sysfs folder for its filesystem.
struct Host {
  Host() {
    std::filesystem::create_directories(pools.File("rockpool"));
    std::filesystem::create_directories(Qgroups());
    Write("enabled", "1");
    Write("inconsistent", "0");
    Write("drop_subtree_threshold", "3");
  }
  std::string Qgroups() const { return sysfs.File(std::string(kUuid) + "/qgroups"); }
  void Write(const std::string& file, const std::string& value) const {
    std::ofstream(Qgroups() + "/" + file) << value << "\n";
  }
  TempDir pools;
  TempDir sysfs;
};

FakeProcessRunner::Reply Btrfs(std::vector<std::string> extra = {}) {
  FakeProcessRunner::Reply reply{0, {"Label: 'rockpool'  uuid: " + std::string(kUuid)}};
  reply.lines.insert(reply.lines.end(), extra.begin(), extra.end());
  return reply;
}

TEST(QuotaAccountingTest, APoolMarkedInSysfsIsRescannedAndAConsistentOneLeftAlone) {
  Host host;
  FakeProcessRunner runner;
  runner.On("btrfs", Btrfs());
  QuotaKeeper keeper(runner, host.pools.path(), host.sysfs.path());
  EXPECT_TRUE(keeper.Repair()->empty());
  EXPECT_TRUE(Rescans(runner).empty());

  host.Write("inconsistent", "1");
  auto rescanned = keeper.Repair();
  ASSERT_TRUE(rescanned.ok()) << rescanned.status().ToString();
  EXPECT_EQ(*rescanned, std::vector<std::string>{host.pools.File("rockpool")});
  EXPECT_EQ(Rescans(runner), std::vector<std::string>{host.pools.File("rockpool")});
  // The UUID was asked once; with the mark in sysfs, `btrfs qgroup show` never ran.
  EXPECT_EQ(Runs(runner, "filesystem"), 1);
  EXPECT_EQ(Runs(runner, "qgroup"), 0);
}

TEST(QuotaAccountingTest, DeletionsAreAccountedAtEveryTreeLevel) {
  Host host;
  FakeProcessRunner runner;
  runner.On("btrfs", Btrfs());
  QuotaKeeper keeper(runner, host.pools.path(), host.sysfs.path());
  ASSERT_TRUE(keeper.Repair().ok());
  EXPECT_EQ(ReadFile(host.Qgroups() + "/drop_subtree_threshold"), "8\n");
  host.Write("drop_subtree_threshold", "8 ");
  ASSERT_TRUE(keeper.Repair().ok());
  EXPECT_EQ(ReadFile(host.Qgroups() + "/drop_subtree_threshold"), "8 \n") << "left as it was";
}

TEST(QuotaAccountingTest, PoolsWithoutQuotasOrNotBtrfsAreSkipped) {
  Host host;
  host.Write("enabled", "0");
  host.Write("inconsistent", "1");
  FakeProcessRunner runner;
  runner.On("btrfs", Btrfs());
  EXPECT_TRUE(QuotaKeeper(runner, host.pools.path(), host.sysfs.path()).Repair()->empty());
  EXPECT_EQ(ReadFile(host.Qgroups() + "/drop_subtree_threshold"), "3\n");

  FakeProcessRunner not_btrfs;
  not_btrfs.On("btrfs", {1, {"ERROR: not a valid btrfs filesystem"}});
  EXPECT_TRUE(QuotaKeeper(not_btrfs, host.pools.path(), host.sysfs.path()).Repair()->empty());
  EXPECT_TRUE(Rescans(not_btrfs).empty());
  EXPECT_TRUE(QuotaKeeper(runner, host.pools.File("missing"), host.sysfs.path()).Repair()->empty());
}

TEST(QuotaAccountingTest, WithoutTheMarkInSysfsBtrfsIsAsked) {
  TempDir pools;
  std::filesystem::create_directories(pools.File("rockpool"));
  TempDir sysfs;  // an older kernel: no qgroups folder
  FakeProcessRunner runner;
  runner.On("btrfs", Btrfs({"WARNING: qgroup data inconsistent, rescan recommended",
                            "Qgroupid    Referenced    Exclusive   Path"}));
  auto rescanned = QuotaKeeper(runner, pools.path(), sysfs.path()).Repair();
  ASSERT_TRUE(rescanned.ok()) << rescanned.status().ToString();
  EXPECT_EQ(Rescans(runner), std::vector<std::string>{pools.File("rockpool")});
  EXPECT_EQ(Runs(runner, "qgroup"), 1);

  FakeProcessRunner no_quotas;
  no_quotas.On("btrfs", {1, {"uuid: " + std::string(kUuid), "ERROR: quotas not enabled"}});
  EXPECT_TRUE(QuotaKeeper(no_quotas, pools.path(), sysfs.path()).Repair()->empty());
}

TEST(QuotaAccountingTest, ARescanFailureSaysLimitsDoNotHold) {
  Host host;
  host.Write("inconsistent", "1");
  FakeProcessRunner runner;
  runner.On("btrfs", Btrfs());
  runner.On("btrfs quota rescan", {1, {"ERROR: quota rescan failed: No space left on device"}});
  auto rescanned = QuotaKeeper(runner, host.pools.path(), host.sysfs.path()).Repair();
  ASSERT_FALSE(rescanned.ok());
  EXPECT_NE(rescanned.status().message().find("disk limits are not enforced"), std::string::npos)
      << rescanned.status().ToString();
}

TEST(QuotaAccountingTest, ARescanAnotherProcessStartedIsWaitedFor) {
  Host host;
  host.Write("inconsistent", "1");
  FakeProcessRunner runner;
  runner.On("btrfs", Btrfs());
  runner.On("btrfs quota rescan -w",
            {1, {"ERROR: quota rescan failed: Operation now in progress"}});
  auto rescanned = QuotaKeeper(runner, host.pools.path(), host.sysfs.path()).Repair();
  ASSERT_TRUE(rescanned.ok()) << rescanned.status().ToString();
  EXPECT_EQ(runner.ran().back().argv, (std::vector<std::string>{"btrfs", "quota", "rescan", "-W",
                                                                host.pools.File("rockpool")}));
}

TEST(QuotaAccountingTest, TheMarkAndTheUuidAreReadFromWhatBtrfsPrints) {
  EXPECT_TRUE(
      QuotaAccountingInconsistent("WARNING: qgroup data inconsistent, rescan recommended\n"));
  EXPECT_FALSE(QuotaAccountingInconsistent("Qgroupid Referenced Exclusive Path\n0/5 16KiB 16KiB"));
  EXPECT_EQ(FilesystemUuid("Label: 'rockpool'  uuid: b235e18a-c874-470c-9d77-11913e4b7fee\n"
                           "\tTotal devices 1 FS bytes used 1.43GiB\n"),
            kUuid);
  EXPECT_EQ(FilesystemUuid("ERROR: not a btrfs filesystem"), "");
}

}  // namespace
}  // namespace rockpool::incus
