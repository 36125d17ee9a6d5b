// `cmake --install` lays Rockpool out under a prefix, and the installed rockpool finds its
// dashboard and image recipe there, with no source checkout in sight.
#include <unistd.h>

#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>

#include "sys/process.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;

class InstallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prefix_ = "/tmp/rp-install-" + std::to_string(getpid());
    fs::remove_all(prefix_);
  }
  void TearDown() override { fs::remove_all(prefix_); }

  ProcessResult Run(std::vector<std::string> argv) {
    auto r = runner_.Run({.argv = argv, .cwd = "/"});
    return r.ok() ? *r : ProcessResult{-1, r.status().message()};
  }
  // `rockpool paths` with no setting that points elsewhere.
  ProcessResult Paths(const std::string& binary) {
    return Run({"env", "-u", "ROCKPOOL_DATA_DIR", "-u", "ROCKPOOL_RECIPE_DIR", binary, "paths"});
  }

  RealProcessRunner runner_;
  std::string prefix_;
};

TEST_F(InstallTest, InstalledRockpoolFindsItsFilesUnderItsPrefixOnly) {
  ProcessResult install = Run({"cmake", "--install", ROCKPOOL_BUILD_DIR, "--prefix", prefix_});
  ASSERT_EQ(install.exit_code, 0) << install.output;
  for (const char* file :
       {"bin/rockpool", "share/rockpool/images/linux/build.sh",
        "share/rockpool/images/linux/digest.sh", "share/doc/rockpool/README.md",
        "lib/systemd/system/rockpool.service", "lib/systemd/system/rockpool-caddy.service"}) {
    EXPECT_TRUE(fs::exists(prefix_ + "/" + file)) << file;
  }
  EXPECT_EQ(access((prefix_ + "/share/rockpool/images/linux/build.sh").c_str(), X_OK), 0);
  const std::string unit = [&] {
    std::ifstream in(prefix_ + "/lib/systemd/system/rockpool.service");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  EXPECT_NE(unit.find("ExecStart=" + prefix_ + "/bin/rockpool serve"), std::string::npos) << unit;
  if (access("/usr/bin/systemd-analyze", X_OK) == 0 && access("/usr/bin/caddy", X_OK) == 0) {
    ProcessResult verify = Run({"systemd-analyze", "verify", "--man=no",
                                prefix_ + "/lib/systemd/system/rockpool.service",
                                prefix_ + "/lib/systemd/system/rockpool-caddy.service"});
    EXPECT_EQ(verify.exit_code, 0) << verify.output;
    EXPECT_EQ(verify.output, "") << "warnings are defects too";
  }

  // The dashboard: installed when web/dist was built; else put one in place to see it found.
  const std::string web = prefix_ + "/share/rockpool/web";
  if (!fs::exists(std::string(ROCKPOOL_SOURCE_DIR) + "/web/dist/index.html")) {
    fs::create_directories(web);
    std::ofstream(web + "/index.html") << "<html></html>";
  }
  ProcessResult paths = Paths(prefix_ + "/bin/rockpool");
  ASSERT_EQ(paths.exit_code, 0) << paths.output;
  EXPECT_NE(paths.output.find("data       " + prefix_ + "/share/rockpool\n"), std::string::npos)
      << paths.output;
  EXPECT_NE(paths.output.find("dashboard  " + web + " (found)"), std::string::npos) << paths.output;
  EXPECT_NE(paths.output.find("recipe     " + prefix_ + "/share/rockpool/images/linux (found)"),
            std::string::npos)
      << paths.output;
  EXPECT_EQ(paths.output.find(ROCKPOOL_SOURCE_DIR), std::string::npos)
      << "the installed rockpool looks into the source tree:\n"
      << paths.output;

  // Removing the installed recipe is noticed: nothing falls back to the sources.
  fs::remove_all(prefix_ + "/share/rockpool/images");
  paths = Paths(prefix_ + "/bin/rockpool");
  EXPECT_NE(paths.output.find("recipe     " + prefix_ + "/share/rockpool/images/linux (missing)"),
            std::string::npos)
      << paths.output;
}

TEST_F(InstallTest, BuildTreeRockpoolUsesTheBuildTreeLayout) {
  ProcessResult paths = Paths(ROCKPOOL_BINARY);
  ASSERT_EQ(paths.exit_code, 0) << paths.output;
  const std::string data = std::string(ROCKPOOL_BUILD_DIR) + "/share/rockpool";
  EXPECT_NE(paths.output.find("data       " + data + "\n"), std::string::npos) << paths.output;
  EXPECT_NE(paths.output.find("recipe     " + data + "/images/linux (found)"), std::string::npos)
      << paths.output;
}

}  // namespace
}  // namespace rockpool
