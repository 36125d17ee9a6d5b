#include "runtime/incus/backups.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/incus/fake_daemon_test_util.h"

namespace rockpool::incus {
namespace {

using testing::FakeDaemon;

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("rockpool-backups-test-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Json Labels(const std::string& workspace, bool tpl = false, bool spare = false) {
  return {{"user.rockpool.managed", "true"},
          {"user.rockpool.workspace", workspace},
          {"user.rockpool.template", tpl ? "true" : "false"},
          {"user.rockpool.spare", spare ? "true" : "false"}};
}

TEST(BackupsTest, ExportMakesBackupStreamsItToAFileAndDeletesIt) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances/rp-a/backups", testing::Async("op1"));
  daemon.On("GET", "/1.0/operations/op1/wait", testing::OperationDone());
  daemon.On("GET", "/1.0/instances/rp-a/backups/", testing::Raw(200, "TARBALL BYTES"));
  daemon.On("DELETE", "/1.0/instances/rp-a/backups/", testing::Sync(Json::object()));
  IncusArchiver archiver(daemon.Client(), {});
  const std::string path = TempPath("export.tar.gz");
  Status s = archiver.Export("rp-a", path);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(ReadAll(path), "TARBALL BYTES");
  std::filesystem::remove(path);

  auto posted = daemon.Sent("POST", "/1.0/instances/rp-a/backups");
  ASSERT_EQ(posted.size(), 1u);
  Json body = Json::parse(posted[0].body);
  EXPECT_EQ(body["instance_only"], true);
  EXPECT_EQ(body["optimized_storage"], false);
  EXPECT_EQ(body["compression_algorithm"], "gzip");
  const std::string name = body["name"];
  auto exported = daemon.Sent("GET", "/1.0/instances/rp-a/backups/" + name + "/export");
  ASSERT_EQ(exported.size(), 1u);
  EXPECT_EQ(exported[0].response_file, path);  // streamed to disk, not held in memory
  EXPECT_EQ(daemon.Sent("DELETE", "/1.0/instances/rp-a/backups/" + name).size(), 1u);
}

TEST(BackupsTest, FailedExportStillDeletesTheBackupAndLeavesNoFile) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances/rp-a/backups", testing::Sync(Json::object()));
  daemon.On("GET", "/1.0/instances/rp-a/backups/", testing::Error(500, "disk on fire"));
  daemon.On("DELETE", "/1.0/instances/rp-a/backups/", testing::Sync(Json::object()));
  IncusArchiver archiver(daemon.Client(), {});
  const std::string path = TempPath("failed.tar.gz");
  Status s = archiver.Export("rp-a", path);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("incus: export backup"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("500 disk on fire"), std::string::npos) << s.message();
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(daemon.Sent("DELETE", "/1.0/instances/rp-a/backups/").size(), 1u);
}

TEST(BackupsTest, ImportPostsTheTarballWithNameAndPoolHeaders) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances", testing::Async("op2"));
  daemon.On("GET", "/1.0/operations/op2/wait", testing::OperationDone());
  IncusArchiver archiver(daemon.Client(), {.storage_pool = "rockpool"});
  Status s = archiver.Import("/backups/rp-a.tar.gz", "rp-a");
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto sent = daemon.Sent("POST", "/1.0/instances");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].body_file, "/backups/rp-a.tar.gz");
  HttpResponse headers{0, sent[0].headers, ""};
  EXPECT_EQ(headers.Header("Content-Type"), "application/octet-stream");
  EXPECT_EQ(headers.Header("X-LXD-name"), "rp-a");
  EXPECT_EQ(headers.Header("X-LXD-pool"), "rockpool");
}

TEST(BackupsTest, FailedImportNamesTheInstanceAndTheDaemonsAnswer) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances", testing::Error(409, "Instance already exists"));
  IncusArchiver archiver(daemon.Client(), {});
  Status s = archiver.Import("/b/rp-a.tar.gz", "rp-a");
  EXPECT_EQ(s.message(),
            "incus: import instance rp-a from /b/rp-a.tar.gz: 409 Instance already exists");
}

TEST(BackupsTest, ListWorkspacesSkipsTemplatesSparesAndForeignInstances) {
  FakeDaemon daemon;
  Json list = Json::array({
      {{"name", "rp-b"}, {"status", "Running"}, {"config", Labels("b")}},
      {{"name", "rp-tpl-1"}, {"status", "Stopped"}, {"config", Labels("x", true)}},
      {{"name", "rps-1"}, {"status", "Stopped"}, {"config", Labels("y", false, true)}},
      {{"name", "other"}, {"status", "Running"}, {"config", Json::object()}},
      {{"name", "rp-a"}, {"status", "Stopped"}, {"config", Labels("a")}},
  });
  daemon.On("GET", "/1.0/instances?recursion=1", testing::Sync(list));
  IncusArchiver archiver(daemon.Client(), {});
  auto got = archiver.ListWorkspaces();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].instance, "rp-a");
  EXPECT_EQ((*got)[0].workspace, "a");
  EXPECT_EQ((*got)[1].instance, "rp-b");
}

TEST(BackupsTest, RemoveStopsARunningInstanceBeforeDeleting) {
  FakeDaemon daemon;
  daemon.On("GET", "/1.0/instances/rp-a",
            testing::Sync({{"name", "rp-a"}, {"status", "Running"}, {"config", Json::object()}}));
  daemon.On("PUT", "/1.0/instances/rp-a/state", testing::Sync(Json::object()));
  daemon.On("DELETE", "/1.0/instances/rp-a", testing::Sync(Json::object()));
  IncusArchiver archiver(daemon.Client(), {});
  ASSERT_TRUE(archiver.Remove("rp-a").ok());
  auto stops = daemon.Sent("PUT", "/1.0/instances/rp-a/state");
  ASSERT_EQ(stops.size(), 1u);
  EXPECT_EQ(Json::parse(stops[0].body)["force"], true);
  EXPECT_EQ(daemon.Sent("DELETE", "/1.0/instances/rp-a").size(), 1u);
}

}  // namespace
}  // namespace rockpool::incus
