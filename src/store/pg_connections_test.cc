#include "store/pg_connections.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "store/pg_store.h"
#include "store/testing/test_postgres.h"

namespace rockpool {
namespace {

// The server ends every session of the store's pool while they sit idle, as a restart of
// PostgreSQL does: the store's next read and write still succeed, on fresh sessions.
TEST(PgConnectionsTest, SessionsTheServerEndedWhileIdleAreNotUsed) {
  auto url = testing::NewTestDatabase();
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  FakeClock clock;
  auto store = PgStore::Open(*url, clock, {});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->workspaces().Revision().ok());
  Workspace ws{"a", "a", WorkspaceStatus::kCreating, "rockpool-workspace", std::nullopt, "", ""};
  ASSERT_TRUE((*store)->workspaces().Insert(ws).ok());

  auto admin = pg::Connection::Open(*url);
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  // With a timeout, pg_terminate_backend returns once each backend process has exited.
  auto ended = (*admin)->Prepare(
      "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)), count(*)"
      " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  auto row = (*ended)->Step("end the sessions");
  ASSERT_TRUE(row.ok() && *row) << row.status().ToString();
  ASSERT_GE((*ended)->Int(1), 1) << "the store's pooled session was not there to end";
  ASSERT_EQ((*ended)->Int(0), (*ended)->Int(1)) << "a session outlived its termination";

  auto revision = (*store)->workspaces().Revision();
  EXPECT_TRUE(revision.ok()) << revision.status().ToString();
  EXPECT_TRUE(
      (*store)->workspaces().UpdateStatus("a", WorkspaceStatus::kRunning, std::nullopt).ok());
  auto read = (*store)->workspaces().Get("a");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->status, WorkspaceStatus::kRunning);
}

}  // namespace
}  // namespace rockpool
