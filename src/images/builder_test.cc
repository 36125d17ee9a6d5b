#include "images/builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "images/fake_image_store.h"
#include "sys/fake_process.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kDigest(64, 'a');
const std::string kOtherDigest(64, 'b');

class BuildImageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rockpool-images-test-" +
            std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "recipe");
    fs::create_directories(dir_ / "work");
    std::ofstream(dir_ / "recipe" / "build.sh") << "";
    std::ofstream(dir_ / "recipe" / "digest.sh") << "";
    tarball_ = (dir_ / "work" / "rockpool-workspace.tar").string();
    options_.recipe_dir = (dir_ / "recipe").string();
    options_.work_dir = (dir_ / "work").string();
    runner_.On("digest.sh", {0, {kDigest}});
  }
  void TearDown() override { fs::remove_all(dir_); }

  // build.sh succeeds: prints steps, writes the tarball, names it last.
  void RecipeSucceeds() {
    std::ofstream(tarball_) << "tar";
    runner_.On("build.sh",
               {0, {"[1/2] checking build tools", "[2/2] packing", "image tarball: " + tarball_}});
  }

  Status Build() {
    return BuildImage(options_, runner_, store_,
                      [this](const std::string& line) { progress_.push_back(line); });
  }

  fs::path dir_;
  std::string tarball_;
  ImageBuildOptions options_;
  FakeProcessRunner runner_;
  FakeImageStore store_;
  std::vector<std::string> progress_;
};

TEST_F(BuildImageTest, UpToDateImageIsNotRebuilt) {
  store_.Add("rockpool-workspace", {"fp1", kDigest});
  ASSERT_TRUE(Build().ok());
  EXPECT_THAT(progress_,
              ElementsAre("image rockpool-workspace is up to date (recipe aaaaaaaaaaaa)"));
  ASSERT_EQ(runner_.ran().size(), 1u);  // digest.sh only
  EXPECT_TRUE(store_.imports().empty());
}

TEST_F(BuildImageTest, MissingImageIsBuiltAndImportedWithDigest) {
  RecipeSucceeds();
  ASSERT_TRUE(Build().ok());
  auto ran = runner_.ran();
  ASSERT_EQ(ran.size(), 2u);
  EXPECT_THAT(ran[1].argv, ElementsAre((dir_ / "recipe" / "build.sh").string(), options_.work_dir));
  EXPECT_THAT(ran[1].env, ElementsAre("ROCKPOOL_RECIPE_DIGEST=" + kDigest));
  auto imports = store_.imports();
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].tarball_path, tarball_);
  EXPECT_EQ(imports[0].alias, "rockpool-workspace");
  EXPECT_EQ(imports[0].recipe_digest, kDigest);
}

TEST_F(BuildImageTest, StreamsRecipeLinesToProgress) {
  RecipeSucceeds();
  ASSERT_TRUE(Build().ok());
  EXPECT_THAT(progress_, ::testing::IsSupersetOf({"[1/2] checking build tools", "[2/2] packing",
                                                  "imported rockpool-workspace"}));
}

TEST_F(BuildImageTest, ChangedRecipeIsRebuilt) {
  store_.Add("rockpool-workspace", {"fp1", kOtherDigest});
  RecipeSucceeds();
  ASSERT_TRUE(Build().ok());
  EXPECT_EQ(store_.imports().size(), 1u);
}

TEST_F(BuildImageTest, ForceRebuildsUpToDateImage) {
  store_.Add("rockpool-workspace", {"fp1", kDigest});
  options_.force = true;
  RecipeSucceeds();
  ASSERT_TRUE(Build().ok());
  EXPECT_EQ(store_.imports().size(), 1u);
}

TEST_F(BuildImageTest, UsesGivenAlias) {
  options_.alias = "custom";
  RecipeSucceeds();
  ASSERT_TRUE(Build().ok());
  EXPECT_THAT(store_.finds(), ElementsAre("custom"));
  EXPECT_EQ(store_.imports().at(0).alias, "custom");
}

TEST_F(BuildImageTest, TarballIsRemovedAfterImport) {
  RecipeSucceeds();
  ASSERT_TRUE(Build().ok());
  EXPECT_FALSE(fs::exists(tarball_));
}

TEST_F(BuildImageTest, TarballIsRemovedWhenImportFails) {
  RecipeSucceeds();
  store_.FailImport(Status::Unavailable("lxd: import image: 500 disk full"));
  Status s = Build();
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_EQ(s.message(),
            "image build: import rockpool-workspace: lxd: import image: 500 disk full");
  EXPECT_FALSE(fs::exists(tarball_));
}

TEST_F(BuildImageTest, RecipeFailureNamesStepAndFix) {
  runner_.On("build.sh", {1,
                          {"[1/7] checking build tools",
                           "error: mmdebstrap not found: apt-get install mmdebstrap"}});
  Status s = Build();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "image recipe failed at [1/7] checking build tools: mmdebstrap not found: apt-get "
            "install mmdebstrap");
  EXPECT_TRUE(store_.imports().empty());
}

TEST_F(BuildImageTest, RecipeThatNamesNoTarballFails) {
  runner_.On("build.sh", {0, {"[1/1] done"}});
  Status s = Build();
  EXPECT_THAT(s.message(), HasSubstr("without printing 'image tarball: <path>'"));
  EXPECT_TRUE(store_.imports().empty());
}

TEST_F(BuildImageTest, RecipeThatCannotStartFails) {
  runner_.FailToStart("build.sh", Status::Unavailable("start build.sh: Permission denied"));
  Status s = Build();
  EXPECT_EQ(s.message(), "image recipe: start build.sh: Permission denied");
}

TEST_F(BuildImageTest, MissingRecipeDirIsInvalidArgument) {
  options_.recipe_dir = (dir_ / "nowhere").string();
  Status s = Build();
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("build.sh missing"));
  EXPECT_TRUE(runner_.ran().empty());
}

TEST_F(BuildImageTest, BadDigestOutputFails) {
  runner_.On("digest.sh", {0, {"not a digest"}});
  Status s = Build();
  EXPECT_THAT(s.message(), HasSubstr("printed 'not a digest', expected a sha256 hex digest"));
  EXPECT_TRUE(store_.finds().empty());
}

TEST_F(BuildImageTest, StoreFindFailureIsReported) {
  store_.FailFind(Status::Unavailable("lxd: get image alias: connection refused"));
  Status s = Build();
  EXPECT_EQ(s.message(),
            "image build: find image rockpool-workspace: lxd: get image alias: connection refused");
  EXPECT_EQ(runner_.ran().size(), 1u);
}

TEST(RecipeDigestTest, TrimsDigestScriptOutput) {
  FakeProcessRunner runner;
  runner.On("digest.sh", {0, {kDigest, ""}});
  auto digest = RecipeDigest("/r", runner);
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(*digest, kDigest);
  EXPECT_THAT(runner.ran().at(0).argv, ElementsAre("/r/digest.sh"));
}

}  // namespace
}  // namespace rockpool
