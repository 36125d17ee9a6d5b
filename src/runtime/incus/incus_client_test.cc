#include "runtime/incus/incus_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/incus/fake_daemon_test_util.h"
#include "runtime/incus/instances.h"
#include "runtime/incus/operations.h"

namespace rockpool::incus {
namespace {

using testing::Error;
using testing::FakeDaemon;
using testing::Fixture;
using ::testing::HasSubstr;
using testing::Raw;

TEST(IncusClientTest, ErrorEnvelopeBecomesStatusWithDaemonMessage) {
  FakeDaemon daemon;
  daemon.On("GET", "/1.0/instances/rp-x",
            Raw(404, R"({"type":"error","status":"","status_code":0,"operation":"",)"
                     R"("error_code":404,"error":"Instance not found","metadata":null})"));
  auto r = GetInstance(*daemon.Client(), "rp-x", false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().message(), "incus: get instance rp-x: 404 Instance not found");
}

TEST(IncusClientTest, RecordedBadNameAnswerIsInvalidArgument) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances",
            Error(400, "Invalid instance name: Name must not start with a number"));
  Status s = CreateInstance(*daemon.Client(), {.name = "9bad"}, std::chrono::seconds(5));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("incus: create instance 9bad: 400 Invalid instance name"));
}

TEST(IncusClientTest, UnreachableSocketSaysHowToStartTheDaemon) {
  auto client = IncusClient::ForSocket("/nonexistent/rockpool-test/unix.socket");
  auto r = client->Call({.path = "/1.0"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("cannot reach the LXD daemon at unix:/nonexistent"));
  EXPECT_THAT(r.status().message(),
              HasSubstr("is the LXD daemon running? start it with: rockpool up"));
}

TEST(IncusClientTest, WaitsForOperationWithTransportTimeoutLongerThanServerWait) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances", Raw(202, Fixture("create_image_op.json")));
  daemon.On("GET", "/1.0/operations/", Raw(200, Fixture("start_wait.json")));
  auto op = daemon.Client()->CallAndWait({.method = "POST", .path = "/1.0/instances"},
                                         std::chrono::seconds(60));
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  auto waits = daemon.Sent("GET", "/1.0/operations/");
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0].target,
            "/1.0/operations/c6a565e3-18ad-40f2-b3d0-e4d5ae93da99/wait?timeout=60");
  EXPECT_GT(waits[0].timeout, std::chrono::seconds(60));
}

TEST(IncusClientTest, FailedOperationSurfacesDaemonText) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances", Raw(202, Fixture("create_image_op.json")));
  daemon.On("GET", "/1.0/operations/", Raw(200, Fixture("create_dup_wait.json")));
  Status s = CreateInstance(*daemon.Client(), {.name = "rp-tpl-rec"}, std::chrono::seconds(5));
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  EXPECT_EQ(s.message(),
            "incus: create instance rp-tpl-rec: Failed creating instance record: Add instance "
            "info to the database: This \"instances\" entry already exists");
}

TEST(IncusClientTest, OperationStillRunningAfterWaitIsDeadlineExceeded) {
  FakeDaemon daemon;
  daemon.On("GET", "/1.0/operations/x/wait",
            testing::Sync({{"status", "Running"}, {"description", "Starting instance"}}));
  auto r = WaitOperation(*daemon.Client(), "/1.0/operations/x", std::chrono::seconds(1));
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded);
  EXPECT_THAT(r.status().message(), HasSubstr("Starting instance"));
}

TEST(IncusClientTest, AsksTheServerKindOnceAndPicksHeaderPrefix) {
  FakeDaemon lxd;
  auto client = lxd.Client();
  EXPECT_EQ(*client->HeaderPrefix(), "X-LXD-");
  EXPECT_EQ(*client->HeaderPrefix(), "X-LXD-");
  EXPECT_EQ(lxd.Sent("GET", "/1.0").size(), 1u);

  FakeDaemon incus;
  incus.On("GET", "/1.0", testing::Sync({{"environment", {{"server", "incus"}}}}));
  auto incus_client = incus.Client("/var/lib/incus/unix.socket");
  EXPECT_EQ(*incus_client->HeaderPrefix(), "X-Incus-");
  EXPECT_EQ(incus_client->DaemonName(), "Incus");
}

TEST(IncusClientTest, NonJsonAnswerIsReportedWithItsStatus) {
  FakeDaemon daemon;
  daemon.On("GET", "/1.0/instances/rp-x", Raw(502, "Bad Gateway\n"));
  auto r = GetInstance(*daemon.Client(), "rp-x", false);
  EXPECT_EQ(r.status().message(), "incus: get instance rp-x: 502 Bad Gateway");
}

}  // namespace
}  // namespace rockpool::incus
