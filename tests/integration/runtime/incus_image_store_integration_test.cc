// IncusImageStore against the real daemon with tiny images built on the fly.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "runtime/incus/images.h"
#include "runtime/incus/incus_image_store.h"
#include "runtime/incus/socket.h"

namespace rockpool::incus {
namespace {

namespace fs = std::filesystem;

class IncusImageStoreIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto socket = DetectSocket();
    if (!socket.ok()) GTEST_SKIP() << "no Incus/LXD daemon: " << socket.status().message();
    client_ = IncusClient::ForSocket(*socket);
    if (!client_->Server().ok()) GTEST_SKIP() << "daemon not answering";
    if (std::system("command -v tar >/dev/null") != 0) GTEST_SKIP() << "tar missing";
    dir_ = fs::temp_directory_path() / ("rp-image-itest-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    alias_ = "itest-img-" + std::to_string(::getpid());
  }

  void TearDown() override {
    if (!client_) return;
    for (const auto& fp : made_) (void)DeleteImage(*client_, fp, std::chrono::seconds(60));
    (void)client_->Call({.method = "DELETE", .path = "/1.0/images/aliases/" + alias_});
    fs::remove_all(dir_);
  }

  // A unified image tarball whose bytes differ by `marker`.
  std::string MakeTarball(const std::string& marker) {
    fs::path root = dir_ / marker;
    fs::create_directories(root / "rootfs/etc");
    std::ofstream(root / "metadata.yaml")
        << "architecture: x86_64\ncreation_date: 1700000000\nproperties:\n  description: " << marker
        << "\n";
    std::ofstream(root / "rootfs/etc/hostname") << marker << "\n";
    std::string tarball = (dir_ / (marker + ".tar.gz")).string();
    std::string cmd = "tar -C " + root.string() + " -czf " + tarball + " metadata.yaml rootfs";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    return tarball;
  }

  std::shared_ptr<IncusClient> client_;
  fs::path dir_;
  std::string alias_;
  std::vector<std::string> made_;
  std::vector<std::string> lines_;
};

TEST_F(IncusImageStoreIntegrationTest, ImportSetsAliasAndRecipeThenReplacesThePreviousImage) {
  IncusImageStore store(client_);
  auto say = [this](const std::string& l) { lines_.push_back(l); };
  auto none = store.Find(alias_);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());

  ASSERT_TRUE(store.Import(MakeTarball("one"), alias_, "sha256:r1", say).ok());
  auto first = store.Find(alias_);
  ASSERT_TRUE(first.ok() && first->has_value()) << first.status().ToString();
  made_.push_back((*first)->fingerprint);
  EXPECT_EQ((*first)->recipe_digest, "sha256:r1");

  std::string second_tarball = MakeTarball("two");
  Status imported = store.Import(second_tarball, alias_, "sha256:r2", say);
  ASSERT_TRUE(imported.ok()) << imported.ToString();
  auto second = store.Find(alias_);
  ASSERT_TRUE(second.ok() && second->has_value());
  made_.push_back((*second)->fingerprint);
  EXPECT_NE((*second)->fingerprint, (*first)->fingerprint);
  EXPECT_EQ((*second)->recipe_digest, "sha256:r2");
  EXPECT_EQ(GetImage(*client_, (*first)->fingerprint).status().code(), Code::kNotFound);

  // The same bytes again (alias lost meanwhile): the image is reused and re-labelled.
  ASSERT_TRUE(client_->Call({.method = "DELETE", .path = "/1.0/images/aliases/" + alias_}).ok());
  Status again = store.Import(second_tarball, alias_, "sha256:r3", say);
  ASSERT_TRUE(again.ok()) << again.ToString();
  auto third = store.Find(alias_);
  ASSERT_TRUE(third.ok() && third->has_value());
  EXPECT_EQ((*third)->fingerprint, (*second)->fingerprint);
  EXPECT_EQ((*third)->recipe_digest, "sha256:r3");
  EXPECT_FALSE(lines_.empty());
}

}  // namespace
}  // namespace rockpool::incus
