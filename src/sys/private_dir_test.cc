#include "sys/private_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "store/temp_dir.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(PrivateDirTest, CreatesMissingFolderClosedToOthers) {
  TempDir tmp;
  const std::string dir = tmp.File("state/nested");
  ASSERT_TRUE(MakePrivateDir(dir).ok());
  EXPECT_EQ(ModeOf(dir), 0700u);
}

TEST(PrivateDirTest, ClosesAnExistingFolderAndItsFiles) {
  TempDir tmp;
  const std::string dir = tmp.File("state");
  fs::create_directories(dir + "/sub");
  std::ofstream(dir + "/rockpool.db") << "x";
  chmod(dir.c_str(), 0755);
  chmod((dir + "/rockpool.db").c_str(), 0644);
  chmod((dir + "/sub").c_str(), 0755);
  auto before = ExposedPaths(dir);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->size(), 2u);

  ASSERT_TRUE(MakePrivateDir(dir).ok());
  EXPECT_EQ(ModeOf(dir), 0700u);
  EXPECT_EQ(ModeOf(dir + "/rockpool.db"), 0600u);
  EXPECT_EQ(ModeOf(dir + "/sub"), 0755u);  // closed by its parent
  auto after = ExposedPaths(dir);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
}

TEST(PrivateDirTest, ExposedPathsNamesAWorldReadableFile) {
  TempDir tmp;
  ASSERT_TRUE(MakePrivateDir(tmp.File("logs")).ok());
  std::ofstream(tmp.File("logs/serve.log")) << "x";
  chmod(tmp.File("logs/serve.log").c_str(), 0604);
  auto exposed = ExposedPaths(tmp.File("logs"));
  ASSERT_TRUE(exposed.ok());
  ASSERT_EQ(exposed->size(), 1u);
  EXPECT_EQ((*exposed)[0], tmp.File("logs/serve.log"));
}

TEST(PrivateDirTest, ExposedPathsOfAMissingFolderIsNotFound) {
  TempDir tmp;
  EXPECT_EQ(ExposedPaths(tmp.File("nope")).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace rockpool
