#include "store/sql_origin_repository.h"

#include <gtest/gtest.h>

#include "store/testing/test_database.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

class SqlOriginRepositoryTest : public ::testing::TestWithParam<testing::Engine> {
 protected:
  SqlOriginRepositoryTest() : db_(GetParam()) {}
  void SetUp() override {
    store_ = db_.Open(clock_);
    ASSERT_NE(store_, nullptr);
  }
  std::string NewWorkspace(const std::string& name) {
    Workspace ws{NewUuidV4(), name, WorkspaceStatus::kCreating, "img", std::nullopt, "", ""};
    EXPECT_TRUE(store_->workspaces().Insert(ws).ok());
    return ws.id;
  }
  int Assign(const std::string& id, int forwarded_port, int first = 20000, int last = 20003) {
    auto port = store_->origins().Assign(id, forwarded_port, first, last);
    EXPECT_TRUE(port.ok()) << port.status().ToString();
    return port.ok() ? *port : -1;
  }
  std::string NewSession(const std::string& username) {
    ApiToken t;
    t.id = NewUuidV4();
    t.username = username;
    t.name = "session " + t.id;
    t.digest = t.id + t.id.substr(0, 28);
    t.created_at = "2026-01-01T00:00:00.000Z";
    t.expires_at = "2026-01-08T00:00:00.000Z";
    t.kind = CredentialKind::kSession;
    EXPECT_TRUE(store_->tokens().Insert(t).ok());
    return t.id;
  }
  OriginGrant Grant(const std::string& session, GrantKind kind, char digest, int port) {
    return OriginGrant{NewUuidV4(), std::string(64, digest),   kind, session,
                       port,        "2026-01-01T00:01:00.000Z"};
  }

  FakeClock clock_;
  testing::TestDatabase db_;
  std::unique_ptr<SqlStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Engines, SqlOriginRepositoryTest, testing::kEngines, testing::EngineName);

TEST_P(SqlOriginRepositoryTest, EachIdeAndPortKeepsTheLowestFreePortUntilItsWorkspaceGoes) {
  const std::string alpha = NewWorkspace("alpha"), beta = NewWorkspace("beta");
  EXPECT_EQ(Assign(alpha, 0), 20000);
  EXPECT_EQ(Assign(alpha, 3000), 20001);
  EXPECT_EQ(Assign(beta, 0), 20002);
  EXPECT_EQ(Assign(alpha, 0), 20000);  // kept
  auto found = store_->origins().Find(20001);
  ASSERT_TRUE(found.ok() && *found) << found.status().ToString();
  EXPECT_EQ((*found)->workspace_id, alpha);
  EXPECT_EQ((*found)->forwarded_port, 3000);
  EXPECT_FALSE(*store_->origins().Find(20003));

  // Deleting alpha frees its two ports; the next origin takes the lowest.
  ASSERT_TRUE(store_->workspaces().Delete(alpha).ok());
  EXPECT_FALSE(*store_->origins().Find(20000));
  EXPECT_EQ(Assign(beta, 8080), 20000);
  EXPECT_EQ(Assign(beta, 8081), 20001);
  EXPECT_EQ(Assign(beta, 8082), 20003);
  auto full = store_->origins().Assign(beta, 8083, 20000, 20003);
  EXPECT_EQ(full.status().code(), Code::kOutOfRange);
  EXPECT_NE(full.status().message().find("ROCKPOOL_ORIGIN_PORTS"), std::string::npos);
}

TEST_P(SqlOriginRepositoryTest, ATicketIsTakenOnceAndGrantsEndWithTheirSession) {
  const std::string ana = NewSession("ana"), bob = NewSession("bob");
  ASSERT_TRUE(store_->origins().InsertGrant(Grant(ana, GrantKind::kTicket, 'a', 20000)).ok());
  ASSERT_TRUE(store_->origins().InsertGrant(Grant(ana, GrantKind::kCookie, 'b', 20000)).ok());
  ASSERT_TRUE(store_->origins().InsertGrant(Grant(bob, GrantKind::kCookie, 'c', 20001)).ok());

  // A cookie is not a ticket, nor a ticket a cookie.
  EXPECT_FALSE(*store_->origins().TakeTicket(std::string(64, 'b')));
  EXPECT_FALSE(*store_->origins().FindCookie(std::string(64, 'a')));
  auto ticket = store_->origins().TakeTicket(std::string(64, 'a'));
  ASSERT_TRUE(ticket.ok() && *ticket) << ticket.status().ToString();
  EXPECT_EQ((*ticket)->session_id, ana);
  EXPECT_EQ((*ticket)->origin_port, 20000);
  EXPECT_FALSE(*store_->origins().TakeTicket(std::string(64, 'a')));  // once

  auto cookie = store_->origins().FindCookie(std::string(64, 'b'));
  ASSERT_TRUE(cookie.ok() && *cookie);
  EXPECT_EQ((*cookie)->kind, GrantKind::kCookie);
  ASSERT_TRUE(store_->tokens().DeleteSession("ana", ana).ok());
  EXPECT_FALSE(*store_->origins().FindCookie(std::string(64, 'b')));
  EXPECT_TRUE(*store_->origins().FindCookie(std::string(64, 'c')));

  EXPECT_EQ(*store_->origins().DeleteExpiredGrants("2026-01-01T00:00:59.000Z"), 0);
  EXPECT_EQ(*store_->origins().DeleteExpiredGrants("2026-01-01T00:01:00.000Z"), 1);
  EXPECT_FALSE(*store_->origins().FindCookie(std::string(64, 'c')));
}

}  // namespace
}  // namespace rockpool
