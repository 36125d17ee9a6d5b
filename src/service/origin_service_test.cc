#include "service/origin_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/store_session_service.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using ::testing::HasSubstr;

class OriginServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteStore::Open(dir_.File("rockpool.db"), clock_)).value();
    sessions_ = std::make_unique<StoreSessionService>(
        *store_, clock_, SessionOptions{.idle = hours(1), .lifetime = hours(8)});
    origins_ = std::make_unique<OriginService>(
        *store_, clock_, OriginOptions{.first_port = 20000, .last_port = 20009});
    Workspace ws{NewUuidV4(), "alpha", WorkspaceStatus::kRunning, "img", std::nullopt, "", ""};
    ASSERT_TRUE(store_->workspaces().Insert(ws).ok());
    alpha_ = ws.id;
    auto started = sessions_->Start("ana", "binding");
    ASSERT_TRUE(started.ok());
    session_ = *started;
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<StoreSessionService> sessions_;
  std::unique_ptr<OriginService> origins_;
  std::string alpha_;
  StartedSession session_;
};

TEST_F(OriginServiceTest, ATicketBecomesACookieForItsOriginOnlyOnce) {
  const int ide = *origins_->Assign(alpha_, 0);
  EXPECT_EQ(ide, 20000);
  EXPECT_EQ((*origins_->Find(ide))->workspace_id, alpha_);
  EXPECT_FALSE(*origins_->Find(30000));  // outside the range: nothing, not even a lookup

  auto ticket = origins_->IssueTicket(session_.id, ide);
  ASSERT_TRUE(ticket.ok()) << ticket.status().ToString();
  EXPECT_TRUE(auth::LooksLikeSecret(*ticket, auth::kTicketPrefix));
  auto cookie = origins_->Redeem(*ticket, ide);
  ASSERT_TRUE(cookie.ok()) << cookie.status().ToString();
  EXPECT_TRUE(auth::LooksLikeSecret(cookie->secret, auth::kOriginPrefix));
  EXPECT_THAT(origins_->Redeem(*ticket, ide).status().message(), HasSubstr("used already"));

  auto who = sessions_->VerifyOrigin(cookie->secret, ide);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->username, "ana");
  EXPECT_EQ(who->session_id, session_.id);
  EXPECT_EQ(sessions_->VerifyOrigin(cookie->secret, ide + 1).status().code(), Code::kNotFound);
  // Neither secret stands in for the session, nor the session for an origin's cookie.
  EXPECT_FALSE(sessions_->Verify(cookie->secret).ok());
  EXPECT_FALSE(sessions_->VerifyOrigin(session_.secret, ide).ok());

  // Signing out ends the origin's cookie with the session.
  ASSERT_TRUE(sessions_->End("ana", session_.id).ok());
  EXPECT_THAT(sessions_->VerifyOrigin(cookie->secret, ide).status().message(),
              HasSubstr("sign-in ended"));
}

TEST_F(OriginServiceTest, ATicketIsRefusedOnAnotherOriginAndAfterItsMinute) {
  const int ide = *origins_->Assign(alpha_, 0), port = *origins_->Assign(alpha_, 3000);
  EXPECT_EQ(port, 20001);
  auto other = origins_->IssueTicket(session_.id, ide);
  EXPECT_EQ(origins_->Redeem(*other, port).status().code(), Code::kNotFound);
  EXPECT_EQ(origins_->Redeem(*other, ide).status().code(), Code::kNotFound);  // spent there

  auto late = origins_->IssueTicket(session_.id, ide);
  clock_.Advance(seconds(60));
  EXPECT_EQ(origins_->Redeem(*late, ide).status().code(), Code::kNotFound);
  EXPECT_EQ(origins_->Redeem("rpk_not-a-ticket", ide).status().code(), Code::kNotFound);
}

TEST_F(OriginServiceTest, AnOriginsCookieLastsOnlyWhileItsSessionDoes) {
  const int ide = *origins_->Assign(alpha_, 0);
  auto cookie = origins_->Redeem(*origins_->IssueTicket(session_.id, ide), ide);
  ASSERT_TRUE(cookie.ok());
  clock_.Advance(hours(1));  // the session's idle limit
  EXPECT_THAT(sessions_->VerifyOrigin(cookie->secret, ide).status().message(),
              HasSubstr("idle for longer than 1 h"));
}

TEST(OriginServiceOffTest, WithoutARangeThereAreNoOrigins) {
  TempDir dir;
  FakeClock clock;
  auto store = std::move(SqliteStore::Open(dir.File("rockpool.db"), clock)).value();
  OriginService origins(*store, clock, OriginOptions{});
  EXPECT_EQ(origins.Assign("x", 0).status().code(), Code::kUnimplemented);
  EXPECT_FALSE(*origins.Find(20000));
}

}  // namespace
}  // namespace rockpool
