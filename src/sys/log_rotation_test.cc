#include "sys/log_rotation.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace rockpool {
namespace {

namespace fs = std::filesystem;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class LogRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rp-logrot-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    log_ = (dir_ / "serve.log").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string log_;
};

TEST_F(LogRotationTest, LeavesASmallFileAlone) {
  std::ofstream(log_) << "short\n";
  auto rotated = RotateIfLarge(log_, {.max_bytes = 100, .keep = 2});
  ASSERT_TRUE(rotated.ok()) << rotated.status().message();
  EXPECT_FALSE(*rotated);
  EXPECT_EQ(Read(log_), "short\n");
  EXPECT_FALSE(fs::exists(log_ + ".1"));
}

TEST_F(LogRotationTest, MissingFileIsNotAnError) {
  auto rotated = RotateIfLarge(log_ + ".absent", {.max_bytes = 1, .keep = 2});
  ASSERT_TRUE(rotated.ok());
  EXPECT_FALSE(*rotated);
}

TEST_F(LogRotationTest, KeepsOnlyTheNewestCopiesAndTheWriterGoesOnAtTheStart) {
  // The writer holds the file open with O_APPEND, as a daemon's stdout does.
  int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  ASSERT_GE(fd, 0);
  for (int round = 1; round <= 4; ++round) {
    std::string text(50, static_cast<char>('a' + round));
    ASSERT_EQ(write(fd, text.data(), text.size()), 50);
    auto rotated = RotateIfLarge(log_, {.max_bytes = 40, .keep = 2});
    ASSERT_TRUE(rotated.ok()) << rotated.status().message();
    EXPECT_TRUE(*rotated);
  }
  ASSERT_EQ(write(fd, "next\n", 5), 5);
  close(fd);
  EXPECT_EQ(Read(log_), "next\n");  // no hole of zeros before it: O_APPEND follows the end
  EXPECT_EQ(Read(log_ + ".1"), std::string(50, 'e'));
  EXPECT_EQ(Read(log_ + ".2"), std::string(50, 'd'));
  EXPECT_FALSE(fs::exists(log_ + ".3"));
}

}  // namespace
}  // namespace rockpool
