#include "runtime/incus/files.h"

#include <gtest/gtest.h>

#include "runtime/incus/fake_daemon_test_util.h"

namespace rockpool::incus {
namespace {

using testing::FakeDaemon;

TEST(FilesTest, PushSendsOctetStreamWithOwnerAndModeHeaders) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances/rp-a/files", testing::Sync(Json::object()));
  Status s = PushFile(*daemon.Client(), "rp-a",
                      {.path = "/etc/rockpool/code-server.yaml", .content = "auth: none\n"});
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto sent = daemon.Sent("POST", "/1.0/instances/rp-a/files");
  ASSERT_EQ(sent.size(), 1u);
  const HttpRequest& r = sent[0];
  EXPECT_EQ(r.target, "/1.0/instances/rp-a/files?path=/etc/rockpool/code-server.yaml");
  EXPECT_EQ(r.body, "auth: none\n");
  HttpResponse as_headers{0, r.headers, ""};
  EXPECT_EQ(as_headers.Header("Content-Type"), "application/octet-stream");
  EXPECT_EQ(as_headers.Header("X-LXD-uid"), "0");
  EXPECT_EQ(as_headers.Header("X-LXD-gid"), "0");
  EXPECT_EQ(as_headers.Header("X-LXD-mode"), "0644");
  EXPECT_EQ(as_headers.Header("X-LXD-type"), "file");
  EXPECT_EQ(as_headers.Header("X-LXD-write"), "overwrite");
}

TEST(FilesTest, IncusGetsIncusHeaders) {
  FakeDaemon daemon;
  daemon.On("GET", "/1.0", testing::Sync({{"environment", {{"server", "incus"}}}}));
  daemon.On("POST", "/1.0/instances/rp-a/files", testing::Sync(Json::object()));
  ASSERT_TRUE(
      PushFile(*daemon.Client(), "rp-a", {.path = "/etc/rockpool", .directory = true, .mode = 0755})
          .ok());
  HttpResponse as_headers{0, daemon.Sent("POST", "/1.0/instances/rp-a/files")[0].headers, ""};
  EXPECT_EQ(as_headers.Header("X-Incus-type"), "directory");
  EXPECT_EQ(as_headers.Header("X-Incus-mode"), "0755");
  EXPECT_EQ(as_headers.Header("X-LXD-type"), "");
}

TEST(FilesTest, MissingParentIsReportedWithPathAndInstance) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances/rp-a/files", testing::Error(404, "Not Found"));
  Status s = PushFile(*daemon.Client(), "rp-a", {.path = "/nonexist/x"});
  EXPECT_EQ(s.message(), "incus: write /nonexist/x in instance rp-a: 404 Not Found");
}

}  // namespace
}  // namespace rockpool::incus
