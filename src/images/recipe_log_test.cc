#include "images/recipe_log.h"

#include <gtest/gtest.h>

namespace rockpool {
namespace {

TEST(RecipeLogTest, RemembersCurrentStepErrorAndTarball) {
  RecipeLog log;
  log.Consume("[1/7] checking build tools");
  log.Consume("    mirror: /etc/apt/sources.list.d/debian.sources");
  log.Consume("[4/7] building Debian bookworm root filesystem");
  log.Consume("image tarball: /var/tmp/rockpool-workspace.tar");
  EXPECT_EQ(log.step(), "[4/7] building Debian bookworm root filesystem");
  EXPECT_EQ(log.error(), "");
  EXPECT_EQ(log.tarball(), "/var/tmp/rockpool-workspace.tar");
}

TEST(RecipeLogTest, FailureNamesStepAndRecipeError) {
  RecipeLog log;
  log.Consume("[1/7] checking build tools");
  log.Consume("error: mmdebstrap not found: apt-get install mmdebstrap");
  EXPECT_EQ(log.FailureMessage(1),
            "image recipe failed at [1/7] checking build tools: mmdebstrap not found: "
            "apt-get install mmdebstrap");
}

TEST(RecipeLogTest, FailureWithoutErrorLineQuotesLastOutput) {
  RecipeLog log;
  log.Consume("[5/7] installing Node.js and code-server into the image");
  log.Consume("cp: cannot stat 'x': No such file or directory");
  EXPECT_EQ(log.FailureMessage(1),
            "image recipe failed at [5/7] installing Node.js and code-server into the image: "
            "exit code 1, last output: cp: cannot stat 'x': No such file or directory");
}

TEST(RecipeLogTest, FailureBeforeAnyStep) {
  RecipeLog log;
  EXPECT_EQ(log.FailureMessage(126), "image recipe failed before its first step: exit code 126");
}

TEST(RecipeLogTest, IndentedOrBracketedTextIsNotAStep) {
  RecipeLog log;
  log.Consume("[2/7] fetching Node.js");
  log.Consume("    [npm] notice");
  log.Consume("[warn]");
  EXPECT_EQ(log.step(), "[2/7] fetching Node.js");
}

}  // namespace
}  // namespace rockpool
