#include "runtime/incus/snapshots.h"

#include <gtest/gtest.h>

#include "runtime/incus/fake_daemon_test_util.h"

namespace rockpool::incus {
namespace {

using testing::FakeDaemon;
constexpr auto kTimeout = std::chrono::seconds(30);

TEST(SnapshotsTest, ListReadsOwnNamesOldestFirst) {
  FakeDaemon daemon;
  daemon.On("GET", "/1.0/instances/rp-a/snapshots?recursion=1",
            testing::Sync(
                Json::array({{{"name", "later"}, {"created_at", "2026-01-02T00:00:00Z"}},
                             {{"name", "rp-a/first"}, {"created_at", "2026-01-01T00:00:00Z"}}})));
  auto listed = GetSnapshots(*daemon.Client(), "rp-a");
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "first");
  EXPECT_EQ((*listed)[1].name, "later");
}

TEST(SnapshotsTest, ListOfAMissingInstanceIsNotFoundNamingIt) {
  FakeDaemon daemon;
  auto listed = GetSnapshots(*daemon.Client(), "rp-gone");
  EXPECT_EQ(listed.status().code(), Code::kNotFound);
  EXPECT_NE(listed.status().message().find("rp-gone"), std::string::npos);
}

TEST(SnapshotsTest, CreateRestoreAndDeleteWaitForTheirOperations) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances/rp-a/snapshots", testing::Async("op1"));
  daemon.On("PUT", "/1.0/instances/rp-a", testing::Async("op1"));
  daemon.On("DELETE", "/1.0/instances/rp-a/snapshots/s1", testing::Async("op1"));
  daemon.On("GET", "/1.0/operations/op1/wait", testing::OperationDone());
  auto client = daemon.Client();
  ASSERT_TRUE(CreateSnapshot(*client, "rp-a", "s1", kTimeout).ok());
  ASSERT_TRUE(RestoreSnapshot(*client, "rp-a", "s1", kTimeout).ok());
  ASSERT_TRUE(DeleteSnapshot(*client, "rp-a", "s1", kTimeout).ok());
  auto posted = daemon.Sent("POST", "/1.0/instances/rp-a/snapshots");
  ASSERT_EQ(posted.size(), 1u);
  EXPECT_EQ(Json::parse(posted[0].body), (Json{{"name", "s1"}, {"stateful", false}}));
  auto put = daemon.Sent("PUT", "/1.0/instances/rp-a");
  ASSERT_EQ(put.size(), 1u);
  EXPECT_EQ(Json::parse(put[0].body), (Json{{"restore", "s1"}}));
  EXPECT_EQ(daemon.Sent("GET", "/1.0/operations/op1/wait").size(), 3u);
}

TEST(SnapshotsTest, FailedOperationNamesTheSnapshotAndTheDaemonsAnswer) {
  FakeDaemon daemon;
  daemon.On("PUT", "/1.0/instances/rp-a", testing::Async("op1"));
  daemon.On("GET", "/1.0/operations/op1/wait",
            testing::Sync({{"status", "Failure"}, {"status_code", 400}, {"err", "disk full"}}));
  Status s = RestoreSnapshot(*daemon.Client(), "rp-a", "s1", kTimeout);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("restore snapshot s1 of instance rp-a"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("disk full"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace rockpool::incus
