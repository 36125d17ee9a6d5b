#include "service/store_session_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/store_token_service.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"

namespace rockpool {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using ::testing::HasSubstr;

class StoreSessionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteStore::Open(dir_.File("rockpool.db"), clock_)).value();
    sessions_ = std::make_unique<StoreSessionService>(
        *store_, clock_, SessionOptions{.idle = hours(1), .lifetime = hours(8)});
  }

  StartedSession Start(const std::string& username) {
    auto started = sessions_->Start(username, "binding-of-" + username);
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    return started.ok() ? *started : StartedSession{};
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<StoreSessionService> sessions_;
};

TEST_F(StoreSessionServiceTest, AStartedSessionVerifiesAsItsAccountAndIsNoToken) {
  StartedSession s = Start("ana");
  EXPECT_TRUE(auth::LooksLikeSessionSecret(s.secret));
  EXPECT_EQ(s.expires_at, "2026-01-01T08:00:00.000Z");
  EXPECT_EQ(s.max_age, hours(8));
  auto who = sessions_->Verify(s.secret);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->username, "ana");
  EXPECT_EQ(who->session_id, s.id);
  EXPECT_EQ(who->binding, "binding-of-ana");

  // Not among the account's API tokens, not revocable as one, and not accepted as one.
  EXPECT_TRUE(store_->tokens().List("ana")->empty());
  EXPECT_EQ(store_->tokens().Delete("ana", s.id).code(), Code::kNotFound);
  auth::FixedCredentialSource credentials{BasicAuth{"admin", "$argon2id$unused"}};
  StoreTokenService tokens(*store_, clock_, credentials);
  EXPECT_EQ(tokens.Verify(s.secret).status().code(), Code::kNotFound);
  auto made = tokens.Create("ana", "laptop", std::nullopt);
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(sessions_->Verify(made->secret).status().code(), Code::kNotFound);
  EXPECT_TRUE(sessions_->Verify(s.secret).ok());
}

TEST_F(StoreSessionServiceTest, ASessionEndsAfterItsIdleTimeButUseKeepsItAlive) {
  StartedSession s = Start("ana");
  for (int i = 0; i < 4; ++i) {  // 4 x 50 min of use: past the idle limit in total
    clock_.Advance(minutes(50));
    ASSERT_TRUE(sessions_->Verify(s.secret).ok()) << i;
  }
  clock_.Advance(minutes(61));
  auto idle = sessions_->Verify(s.secret);
  EXPECT_EQ(idle.status().code(), Code::kNotFound);
  EXPECT_THAT(idle.status().message(), HasSubstr("idle for longer than 1 h; sign in again"));
}

TEST_F(StoreSessionServiceTest, ASessionEndsAtItsAbsoluteLimitEvenInUse) {
  StartedSession s = Start("ana");
  for (int i = 0; i < 8; ++i) {  // used every 55 min: never idle for long
    clock_.Advance(minutes(55));
    ASSERT_TRUE(sessions_->Verify(s.secret).ok()) << i;
  }
  clock_.Advance(minutes(40));  // 8 h after the start
  auto over = sessions_->Verify(s.secret);
  EXPECT_EQ(over.status().code(), Code::kNotFound);
  EXPECT_THAT(over.status().message(), HasSubstr("its limit of 8 h"));
}

TEST_F(StoreSessionServiceTest, SignOutEndsOneAndSignOutEverywhereTheRestOfTheAccount) {
  StartedSession a1 = Start("ana");
  StartedSession a2 = Start("ana");
  StartedSession a3 = Start("ana");
  StartedSession b = Start("bob");
  ASSERT_TRUE(sessions_->End("bob", a1.id).ok());  // another account's session: untouched
  EXPECT_TRUE(sessions_->Verify(a1.secret).ok());
  ASSERT_TRUE(sessions_->End("ana", a1.id).ok());
  EXPECT_THAT(sessions_->Verify(a1.secret).status().message(), HasSubstr("the session ended"));
  EXPECT_TRUE(sessions_->End("ana", a1.id).ok());  // ended already

  EXPECT_EQ(*sessions_->EndAll("ana", a3.id), 1);
  EXPECT_FALSE(sessions_->Verify(a2.secret).ok());
  EXPECT_TRUE(sessions_->Verify(a3.secret).ok());
  EXPECT_EQ(*sessions_->EndAll("ana"), 1);
  EXPECT_FALSE(sessions_->Verify(a3.secret).ok());
  EXPECT_TRUE(sessions_->Verify(b.secret).ok());
}

// Sessions that end by time leave no rows behind: the next sign-in, anyone's, deletes them.
TEST_F(StoreSessionServiceTest, ASignInDeletesTheSessionsThatEndedByTime) {
  auto rows = [&](const std::string& secret) {
    return store_->tokens().FindByDigest(auth::TokenDigest(secret))->has_value();
  };
  StartedSession idle = Start("ana");
  clock_.Advance(minutes(30));
  StartedSession used = Start("bob");
  clock_.Advance(minutes(31));  // `idle` is past its hour; `used` is not
  Start("carl");
  EXPECT_FALSE(rows(idle.secret));
  EXPECT_TRUE(rows(used.secret));
  EXPECT_TRUE(sessions_->Verify(used.secret).ok());
}

}  // namespace
}  // namespace rockpool
