#include "runtime/incus/incus_image_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "runtime/incus/fake_daemon_test_util.h"
#include "runtime/incus/sha256.h"

namespace rockpool::incus {
namespace {

using testing::Async;
using testing::FakeDaemon;
using testing::Fixture;
using testing::OperationDone;
using testing::Raw;
using testing::Sync;

class IncusImageStoreTest : public ::testing::Test {
 protected:
  IncusImageStoreTest() {
    tarball_ = std::filesystem::temp_directory_path() /
               ("rp-image-" + std::to_string(::getpid()) + ".tar.gz");
    std::ofstream(tarball_) << "tarball bytes";
    daemon_.On("POST", "/1.0/images", Async("op-upload"));
    daemon_.On("GET", "/1.0/operations/", OperationDone());
    daemon_.On("GET", "/1.0/operations/op-upload/wait",
               OperationDone({{"fingerprint", "newfp0123456789"}, {"size", "13"}}));
  }
  ~IncusImageStoreTest() override { std::filesystem::remove(tarball_); }

  std::filesystem::path tarball_;
  FakeDaemon daemon_;
  IncusImageStore store_{daemon_.Client()};
  std::vector<std::string> lines_;
  std::function<void(const std::string&)> progress_ = [this](const std::string& l) {
    lines_.push_back(l);
  };
};

TEST_F(IncusImageStoreTest, FindReadsTheRecipeDigestOfTheAliasedImage) {
  Json image = Json::parse(Fixture("image_get.json"))["metadata"];
  image["properties"]["rockpool.recipe"] = "sha256:abc";
  daemon_.On("GET", "/1.0/images/aliases/rp-devtest",
             Sync({{"name", "rp-devtest"}, {"target", image["fingerprint"]}}));
  daemon_.On("GET", "/1.0/images/d1337", Sync(image));
  auto found = store_.Find("rp-devtest");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->fingerprint, image["fingerprint"]);
  EXPECT_EQ((*found)->recipe_digest, "sha256:abc");
}

TEST_F(IncusImageStoreTest, FindOfMissingAliasIsEmpty) {
  daemon_.On("GET", "/1.0/images/aliases/nope", testing::Error(404, "Image alias not found"));
  auto found = store_.Find("nope");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

TEST_F(IncusImageStoreTest, ImportStreamsTheFileWithRecipePropertyAndCreatesAlias) {
  ASSERT_TRUE(store_.Import(tarball_.string(), "rp-img", "sha256:d e", progress_).ok());
  auto uploads = daemon_.Sent("POST", "/1.0/images");
  ASSERT_GE(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].body_file, tarball_.string());
  HttpResponse headers{0, uploads[0].headers, ""};
  EXPECT_EQ(headers.Header("Content-Type"), "application/octet-stream");
  EXPECT_EQ(headers.Header("X-LXD-properties"), "rockpool.recipe=sha256%3Ad%20e");
  auto alias = daemon_.Sent("POST", "/1.0/images/aliases");
  ASSERT_EQ(alias.size(), 1u);
  EXPECT_EQ(Json::parse(alias[0].body), Json({{"name", "rp-img"}, {"target", "newfp0123456789"}}));
  EXPECT_FALSE(lines_.empty());
}

TEST_F(IncusImageStoreTest, ImportMovesTheAliasAndDeletesThePreviousImage) {
  daemon_.On("GET", "/1.0/images/aliases/rp-img", Sync({{"target", "oldfp"}}));
  daemon_.On("PUT", "/1.0/images/aliases/rp-img", Sync(Json::object()));
  daemon_.On("DELETE", "/1.0/images/oldfp", Async("op-del"));
  ASSERT_TRUE(store_.Import(tarball_.string(), "rp-img", "sha256:x", progress_).ok());
  auto moved = daemon_.Sent("PUT", "/1.0/images/aliases/rp-img");
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(Json::parse(moved[0].body)["target"], "newfp0123456789");
  EXPECT_EQ(daemon_.Sent("DELETE", "/1.0/images/oldfp").size(), 1u);
}

TEST_F(IncusImageStoreTest, ReimportOfIdenticalBytesRecordsRecipeOnTheExistingImage) {
  daemon_.On("GET", "/1.0/operations/op-upload/wait",
             Sync({{"status", "Failure"}, {"err", "Image with same fingerprint already exists"}}));
  daemon_.On("GET", "/1.0/images/", [&](const HttpRequest& r) {
    if (r.target.starts_with("/1.0/images/aliases/")) {
      return testing::Error(404, "Image alias not found");
    }
    return Sync({{"fingerprint", r.target.substr(std::string("/1.0/images/").size())},
                 {"properties", {{"os", "debian"}}}});
  });
  daemon_.On("PATCH", "/1.0/images/", Sync(Json::object()));
  ASSERT_TRUE(store_.Import(tarball_.string(), "rp-img", "sha256:r2", progress_).ok());
  auto patches = daemon_.Sent("PATCH", "/1.0/images/");
  ASSERT_EQ(patches.size(), 1u);
  Json props = Json::parse(patches[0].body)["properties"];
  EXPECT_EQ(props["rockpool.recipe"], "sha256:r2");
  EXPECT_EQ(props["os"], "debian");
  EXPECT_EQ(patches[0].target, "/1.0/images/" + Sha256File(tarball_.string()).value());
  EXPECT_EQ(daemon_.Sent("POST", "/1.0/images/aliases").size(), 1u);
}

TEST_F(IncusImageStoreTest, ImportOfMissingTarballIsNotFound) {
  EXPECT_EQ(store_.Import("/nonexistent.tar.gz", "rp-img", "x", progress_).code(), Code::kNotFound);
}

}  // namespace
}  // namespace rockpool::incus
