#include "cli/config.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace rockpool {
namespace {

class MaxSnapshotsTest : public ::testing::Test {
 protected:
  void TearDown() override { unsetenv("ROCKPOOL_MAX_SNAPSHOTS"); }
};

TEST(DatabaseTest, APostgresUrlSelectsPostgresAndAnythingElseIsRefused) {
  Config c;
  c.state_dir = "/var/lib/rockpool";
  EXPECT_EQ(c.database(), "/var/lib/rockpool/rockpool.db");
  EXPECT_FALSE(c.postgres_store());
  EXPECT_TRUE(c.CheckDatabase().ok());
  c.database_url = "postgresql://rockpool@db/rockpool";
  EXPECT_TRUE(c.postgres_store());
  EXPECT_EQ(c.database(), "postgresql://rockpool@db/rockpool");
  EXPECT_TRUE(c.CheckDatabase().ok());
  c.database_url = "mysql://rockpool@db/rockpool";
  Status refused = c.CheckDatabase();
  EXPECT_EQ(refused.code(), Code::kInvalidArgument);
  EXPECT_NE(refused.message().find("postgres://"), std::string::npos) << refused.message();
}

TEST(OriginPortsTest, PortModeIsTheDefaultAndOffMeansPaths) {
  Config c;
  auto origins = c.Origins();
  ASSERT_TRUE(origins.ok()) << origins.status().ToString();
  EXPECT_EQ(origins->first_port, 20000);
  EXPECT_EQ(origins->last_port, 20999);
  EXPECT_TRUE(origins->Contains(20999));
  EXPECT_FALSE(origins->Contains(21000));
  c.origin_ports = "30000-30000";
  EXPECT_TRUE(c.Origins().ok());
  c.origin_ports = "off";
  ASSERT_TRUE(c.Origins().ok());
  EXPECT_FALSE(c.Origins()->enabled());
}

TEST(OriginPortsTest, ARangeThatIsNoneOrTakesOurOwnPortsIsRefused) {
  Config c;
  for (const char* bad : {"20000", "20000-", "-20000", "x-y", "20010-20000", "80-90", "60000-70000",
                          "20000-30000", "8000-8100", "20000 - 20010", "", "OFF"}) {
    c.origin_ports = bad;
    auto refused = c.Origins();
    EXPECT_EQ(refused.status().code(), Code::kInvalidArgument) << bad;
    EXPECT_NE(refused.status().message().find("ROCKPOOL_ORIGIN_PORTS is \""), std::string::npos);
  }
}

TEST(DatabaseTest, ThePasswordNeverShowsInWhatIsLoggedOrPrinted) {
  Config c;
  c.database_url = "postgres://rockpool:s3cret@db-host:5432/rockpool?sslmode=require";
  EXPECT_EQ(c.DatabaseForDisplay(),
            "postgres://rockpool:***@db-host:5432/rockpool?sslmode=require");
  c.database_url = "postgres://rockpool@db-host:5432/rockpool";
  EXPECT_EQ(c.DatabaseForDisplay(), "postgres://rockpool@db-host:5432/rockpool");
  c.database_url = "postgresql://rockpool@db/rockpool?password=s3cret&sslmode=require";
  EXPECT_EQ(c.DatabaseForDisplay(),
            "postgresql://rockpool@db/rockpool?password=***&sslmode=require");
  c.database_url = "postgresql:///rockpool?host=/run/postgresql";
  EXPECT_EQ(c.DatabaseForDisplay(), "postgresql:///rockpool?host=/run/postgresql");
}

TEST_F(MaxSnapshotsTest, DefaultsToTenAndTakesAWholeNumberInRange) {
  unsetenv("ROCKPOOL_MAX_SNAPSHOTS");
  EXPECT_EQ(*MaxSnapshotsFromEnvironment(), 10);
  setenv("ROCKPOOL_MAX_SNAPSHOTS", "3", 1);
  EXPECT_EQ(*MaxSnapshotsFromEnvironment(), 3);
  EXPECT_EQ(Config::FromEnvironment().max_snapshots, 3);
  setenv("ROCKPOOL_MAX_SNAPSHOTS", "1000", 1);
  EXPECT_EQ(*MaxSnapshotsFromEnvironment(), 1000);
}

TEST_F(MaxSnapshotsTest, AnythingElseIsRefusedNamingTheSettingAndTheRange) {
  for (const char* bad : {"0", "-1", "1001", "ten", "5x", "99999"}) {
    setenv("ROCKPOOL_MAX_SNAPSHOTS", bad, 1);
    auto max = MaxSnapshotsFromEnvironment();
    ASSERT_FALSE(max.ok()) << bad;
    EXPECT_EQ(max.status().code(), Code::kInvalidArgument);
    EXPECT_NE(max.status().message().find("ROCKPOOL_MAX_SNAPSHOTS is \"" + std::string(bad)),
              std::string::npos);
    EXPECT_NE(max.status().message().find("from 1 to 1000"), std::string::npos);
  }
}

class ServeProcessesTest : public ::testing::Test {
 protected:
  void TearDown() override { unsetenv("ROCKPOOL_SERVE_PROCESSES"); }
};

TEST_F(ServeProcessesTest, OneByDefaultAndSeveralOnlyOnPostgres) {
  unsetenv("ROCKPOOL_SERVE_PROCESSES");
  EXPECT_EQ(*ServeProcessesFromEnvironment(false), 1);
  setenv("ROCKPOOL_SERVE_PROCESSES", "3", 1);
  EXPECT_EQ(*ServeProcessesFromEnvironment(true), 3);
  auto sqlite = ServeProcessesFromEnvironment(false);
  ASSERT_FALSE(sqlite.ok());
  EXPECT_EQ(sqlite.status().code(), Code::kInvalidArgument);
  EXPECT_NE(sqlite.status().message().find("ROCKPOOL_DATABASE_URL"), std::string::npos)
      << sqlite.status().message();
  setenv("ROCKPOOL_SERVE_PROCESSES", "1", 1);
  EXPECT_EQ(*ServeProcessesFromEnvironment(false), 1);
  for (const char* bad : {"0", "9", "-1", "two", "12", " 2"}) {
    setenv("ROCKPOOL_SERVE_PROCESSES", bad, 1);
    auto n = ServeProcessesFromEnvironment(true);
    ASSERT_FALSE(n.ok()) << bad;
    EXPECT_NE(n.status().message().find("from 1 to 8"), std::string::npos);
  }
}

TEST_F(ServeProcessesTest, EachProcessHasSocketsOfItsOwnAndTheFirstKeepsTheNames) {
  Config c;
  c.state_dir = "/var/lib/rockpool";
  EXPECT_EQ(c.control_socket(), "/var/lib/rockpool/control.sock");
  EXPECT_EQ(c.control_socket(1), "/var/lib/rockpool/control.sock");
  EXPECT_EQ(c.local_socket(1), "/var/lib/rockpool/local.sock");
  EXPECT_EQ(c.control_socket(2), "/var/lib/rockpool/control-2.sock");
  EXPECT_EQ(c.local_socket(3), "/var/lib/rockpool/local-3.sock");
}

class WarmPoolTest : public ::testing::Test {
 protected:
  void TearDown() override { unsetenv("ROCKPOOL_WARM_POOL"); }
  using Sizes = std::map<std::string, int>;
};

TEST_F(WarmPoolTest, DefaultsToOneForTheImageAndTakesASizeOrSizesByImage) {
  unsetenv("ROCKPOOL_WARM_POOL");
  EXPECT_EQ(*WarmPoolsFromEnvironment("img"), (Sizes{{"img", 1}}));
  setenv("ROCKPOOL_WARM_POOL", "0", 1);
  EXPECT_EQ(*WarmPoolsFromEnvironment("img"), (Sizes{{"img", 0}}));
  setenv("ROCKPOOL_WARM_POOL", "20", 1);
  EXPECT_EQ(*WarmPoolsFromEnvironment("img"), (Sizes{{"img", 20}}));
  setenv("ROCKPOOL_WARM_POOL", "img=2,other-image=0", 1);
  EXPECT_EQ(*WarmPoolsFromEnvironment("img"), (Sizes{{"img", 2}, {"other-image", 0}}));
}

TEST_F(WarmPoolTest, AnythingElseIsRefusedNamingTheSettingAndTheForms) {
  for (const char* bad : {"-1", "21", "two", "img=", "=2", "img=2,", "img=2,img=3", "a=1;b=2"}) {
    setenv("ROCKPOOL_WARM_POOL", bad, 1);
    auto sizes = WarmPoolsFromEnvironment("img");
    ASSERT_FALSE(sizes.ok()) << bad;
    EXPECT_EQ(sizes.status().code(), Code::kInvalidArgument);
    EXPECT_NE(sizes.status().message().find("ROCKPOOL_WARM_POOL is \"" + std::string(bad)),
              std::string::npos);
    EXPECT_NE(sizes.status().message().find("from 0 to 20"), std::string::npos);
  }
}

}  // namespace
}  // namespace rockpool
