#include "cli/backup_manifest.h"

#include <gtest/gtest.h>

namespace rockpool {
namespace {

BackupManifest Sample() {
  BackupManifest m;
  m.created_at = "2026-01-01T00:00:00Z";
  m.rockpool_version = "0.1.0";
  m.engine = "lxd 5.0.2";
  m.schema_version = 3;
  m.store_file = "store.db";
  m.files = {{"store.db", 10, "aa"}, {"workspaces/rp-a.tar.gz", 20, "bb"}};
  m.workspaces = {{"a", "rp-a", "workspaces/rp-a.tar.gz"}};
  return m;
}

TEST(BackupManifestTest, RoundTripsThroughJson) {
  auto back = ManifestFromJson(ToJson(Sample()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), ToJson(Sample()));
}

TEST(BackupManifestTest, RefusesPathsOutsideTheBackup) {
  for (const char* path : {"/etc/shadow", "../x", "settings/../../x", ""}) {
    BackupManifest m = Sample();
    m.files.push_back({path, 1, "cc"});
    auto back = ManifestFromJson(ToJson(m));
    EXPECT_EQ(back.status().code(), Code::kInvalidArgument) << path;
  }
}

TEST(BackupManifestTest, RefusesAnUnknownFormatAndMissingFields) {
  nlohmann::json j = ToJson(Sample());
  j["format"] = 2;
  EXPECT_NE(ManifestFromJson(j).status().message().find("format 2"), std::string::npos);
  j = ToJson(Sample());
  j.erase("files");
  EXPECT_EQ(ManifestFromJson(j).status().code(), Code::kInvalidArgument);
}

TEST(BackupManifestTest, RefusesAWorkspaceWhoseFileIsNotListed) {
  BackupManifest m = Sample();
  m.workspaces.push_back({"b", "rp-b", "workspaces/rp-b.tar.gz"});
  EXPECT_EQ(ManifestFromJson(ToJson(m)).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace rockpool
