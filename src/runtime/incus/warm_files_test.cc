#include "runtime/incus/warm_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace rockpool::incus {
namespace {

namespace fs = std::filesystem;

class WarmFilesTest : public ::testing::Test {
 protected:
  WarmFilesTest()
      : dir_(fs::temp_directory_path() / ("rp-warm-test-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
  }
  ~WarmFilesTest() override { fs::remove_all(dir_); }
  void Write(const fs::path& relative, size_t bytes) {
    fs::create_directories((dir_ / relative).parent_path());
    std::ofstream(dir_ / relative) << std::string(bytes, 'x');
  }
  fs::path dir_;
};

TEST_F(WarmFilesTest, CoversRegularFilesOfTheGivenTreesOnly) {
  Write("rootfs/opt/app/a.js", 1000);
  Write("rootfs/opt/app/lib/b.js", 250);
  Write("rootfs/usr/bin/node", 4096);
  Write("rootfs/etc/other", 99999);
  fs::create_symlink("/etc/passwd", dir_ / "rootfs/opt/app/link");
  auto bytes = WarmFiles((dir_ / "rootfs").string(), {"opt/app", "usr/bin/node", "missing"});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes, 1000u + 250u + 4096u);
}

TEST_F(WarmFilesTest, FindsTheInstanceRootInAnyPoolNextToTheSocket) {
  fs::create_directories(dir_ / "storage-pools/default/containers/other/rootfs");
  fs::create_directories(dir_ / "storage-pools/rockpool/containers/rps-abc/rootfs");
  fs::create_directories(dir_ / "storage-pools/rockpool/containers/rockpool_rps-abc/rootfs");
  const std::string socket = (dir_ / "unix.socket").string();
  auto root = InstanceRootOnHost(socket, "", "rps-abc");
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(*root, (dir_ / "storage-pools/rockpool/containers/rps-abc/rootfs").string());
  // An instance of another project is stored under "<project>_<instance>".
  auto in_project = InstanceRootOnHost(socket, "rockpool", "rps-abc");
  ASSERT_TRUE(in_project.ok()) << in_project.status().ToString();
  EXPECT_EQ(*in_project,
            (dir_ / "storage-pools/rockpool/containers/rockpool_rps-abc/rootfs").string());
  auto missing = InstanceRootOnHost(socket, "rockpool", "rp-nope");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(InstanceRootOnHost("/nonexistent/unix.socket", "", "x").status().code(),
            Code::kNotFound);
}

}  // namespace
}  // namespace rockpool::incus
