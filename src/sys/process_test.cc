#include "sys/process.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace rockpool {
namespace {

TEST(ProcessTest, RunCollectsOutputAndExitCode) {
  RealProcessRunner runner;
  auto r = runner.Run({.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->output, "out\nerr\n");
}

TEST(ProcessTest, ChildrenInheritOnlyTheStandardDescriptors) {
  int leaked = open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  ASSERT_GE(leaked, 3);
  RealProcessRunner runner;
  auto r = runner.Run({.argv = {"sh", "-c",
                                "test -e /proc/self/fd/" + std::to_string(leaked) +
                                    " && echo leaked || echo closed"}});
  close(leaked);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->output, "closed\n");
}

TEST(ProcessTest, MissingProgramIsUnavailableAndNamesIt) {
  RealProcessRunner runner;
  auto r = runner.Run({.argv = {"rockpool-no-such-program", "x"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("rockpool-no-such-program"), std::string::npos);
}

}  // namespace
}  // namespace rockpool
