// QuotaKeeper on a real btrfs filesystem (a loop file of its own, mounted as a pool under a
// private pools folder): a pool whose quota accounting the kernel marks inconsistent is found
// from sysfs and rescanned, after which a subvolume's limit holds again; the threshold that
// makes the kernel skip the accounting of large deletions is raised. Needs root and mkfs.btrfs;
// skips without them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "runtime/incus/quota_accounting.h"
#include "store/temp_dir.h"
#include "sys/process.h"

namespace rockpool::incus {
namespace {

class QuotaAccountingIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a btrfs filesystem";
    if (!Run({"mkfs.btrfs", "--version"}).ok) GTEST_SKIP() << "no mkfs.btrfs (btrfs-progs)";
    pool_ = dir_.File("pools/test");
    std::filesystem::create_directories(pool_);
    ASSERT_TRUE(Run({"truncate", "-s", "300M", dir_.File("disk")}).ok);
    ASSERT_TRUE(Run({"mkfs.btrfs", "-q", dir_.File("disk")}).ok);
    auto mounted = Run({"mount", "-o", "loop", dir_.File("disk"), pool_});
    ASSERT_TRUE(mounted.ok) << mounted.output;
    mounted_ = true;
    ASSERT_TRUE(Run({"btrfs", "quota", "enable", pool_}).ok);
    ASSERT_TRUE(Run({"btrfs", "subvolume", "create", pool_ + "/ws"}).ok);
    uuid_ = FilesystemUuid(Run({"btrfs", "filesystem", "show", pool_}).output);
    ASSERT_FALSE(uuid_.empty());
    if (!std::filesystem::exists(Sysfs("inconsistent"))) {
      GTEST_SKIP() << "this kernel does not show the quota accounting's state in sysfs";
    }
  }

  void TearDown() override {
    if (mounted_) Run({"umount", pool_});
  }

  struct Ran {
    bool ok;
    std::string output;
  };
  Ran Run(std::vector<std::string> argv) {
    auto r = runner_.Run({.argv = std::move(argv)});
    return r.ok() ? Ran{r->exit_code == 0, r->output} : Ran{false, r.status().ToString()};
  }

  std::string Sysfs(const std::string& file) const {
    return "/sys/fs/btrfs/" + uuid_ + "/qgroups/" + file;
  }
  std::string ReadSysfs(const std::string& file) const {
    std::string word;
    std::ifstream(Sysfs(file)) >> word;
    return word;
  }

  // Makes the kernel mark the accounting inconsistent, as it does itself on some deletions:
  // a subvolume whose extents are shared (with a snapshot) joins a higher-level qgroup
  // without a rescan.
  void MarkInconsistent() {
    ASSERT_TRUE(Run({"btrfs", "subvolume", "snapshot", pool_ + "/ws", pool_ + "/snap"}).ok);
    ASSERT_TRUE(Run({"sync"}).ok);
    ASSERT_TRUE(Run({"btrfs", "qgroup", "create", "1/100", pool_}).ok);
    const std::string id = Run({"btrfs", "inspect-internal", "rootid", pool_ + "/ws"}).output;
    ASSERT_TRUE(Run({"btrfs", "qgroup", "assign", "--no-rescan", "0/" + id.substr(0, id.find('\n')),
                     "1/100", pool_})
                    .ok);
    ASSERT_EQ(ReadSysfs("inconsistent"), "1") << "the recipe no longer marks it on this kernel";
  }

  // Writes `mib` MiB into the workspace subvolume; true when the whole write went through.
  bool Write(int mib, const std::string& file) {
    Ran dd = Run({"dd", "if=/dev/zero", "of=" + pool_ + "/ws/" + file, "bs=1M",
                  "count=" + std::to_string(mib), "conv=fsync", "status=none"});
    if (!dd.ok) std::cerr << "[quota] dd: " << dd.output;
    return dd.ok;
  }

  RealProcessRunner runner_;
  TempDir dir_;
  std::string pool_;
  std::string uuid_;
  bool mounted_ = false;
};

TEST_F(QuotaAccountingIntegrationTest, AMarkedPoolIsRescannedAndItsLimitsHoldAgain) {
  ASSERT_TRUE(Write(8, "before"));
  MarkInconsistent();
  ASSERT_TRUE(Run({"btrfs", "qgroup", "limit", "32M", pool_ + "/ws"}).ok);
  // What the mark does on this kernel, for the log: the limit may or may not hold.
  std::cerr << "[quota] while marked, 64 MiB past a 32 MiB limit: "
            << (Write(64, "marked") ? "went through" : "refused") << "\n";
  Run({"rm", "-f", pool_ + "/ws/marked"});
  Run({"sync"});

  QuotaKeeper keeper(runner_, dir_.File("pools"));
  auto rescanned = keeper.Repair();
  ASSERT_TRUE(rescanned.ok()) << rescanned.status().ToString();
  EXPECT_EQ(*rescanned, std::vector<std::string>{pool_});
  EXPECT_EQ(ReadSysfs("inconsistent"), "0");
  EXPECT_FALSE(Write(64, "after")) << "64 MiB went past a 32 MiB limit after the rescan";

  // A consistent pool: nothing to do.
  rescanned = keeper.Repair();
  ASSERT_TRUE(rescanned.ok()) << rescanned.status().ToString();
  EXPECT_TRUE(rescanned->empty());
}

TEST_F(QuotaAccountingIntegrationTest, LargeDeletionsAreAccounted) {
  if (!std::filesystem::exists(Sysfs("drop_subtree_threshold"))) {
    GTEST_SKIP() << "this kernel accounts every deletion (no drop_subtree_threshold)";
  }
  std::ofstream(Sysfs("drop_subtree_threshold")) << "3\n";
  ASSERT_EQ(ReadSysfs("drop_subtree_threshold"), "3");
  ASSERT_TRUE(QuotaKeeper(runner_, dir_.File("pools")).Repair().ok());
  EXPECT_EQ(ReadSysfs("drop_subtree_threshold"), "8");
}

}  // namespace
}  // namespace rockpool::incus
