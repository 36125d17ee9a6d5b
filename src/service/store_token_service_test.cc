#include "service/store_token_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/password_hash.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"

namespace rockpool {
namespace {

using ::testing::HasSubstr;

class StoreTokenServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteStore::Open(dir_.File("rockpool.db"), clock_)).value();
    tokens_ = std::make_unique<StoreTokenService>(*store_, clock_, credentials_);
  }

  TempDir dir_;
  FakeClock clock_;
  auth::FixedCredentialSource credentials_{BasicAuth{"admin", "$argon2id$unused"}};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<StoreTokenService> tokens_;
};

TEST_F(StoreTokenServiceTest, AMadeTokenVerifiesAsItsAccountAndKeepsOnlyADigest) {
  auto made = tokens_->Create("admin", "laptop", std::nullopt);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_TRUE(auth::LooksLikeTokenSecret(made->secret));
  EXPECT_FALSE(made->token.expires_at);
  auto stored = store_->tokens().List("admin");
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].digest, auth::TokenDigest(made->secret));
  EXPECT_EQ((*stored)[0].digest.find(made->secret), std::string::npos);

  auto who = tokens_->Verify(made->secret);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->username, "admin");
  EXPECT_EQ(who->token_id, made->token.id);
  EXPECT_EQ(*tokens_->Account(), "admin");
}

TEST_F(StoreTokenServiceTest, ARevokedTokenStopsAtOnce) {
  auto made = tokens_->Create("admin", "ci", 30);
  ASSERT_TRUE(made.ok());
  ASSERT_TRUE(tokens_->Verify(made->secret).ok());
  ASSERT_TRUE(tokens_->Revoke("admin", made->token.id).ok());
  auto after = tokens_->Verify(made->secret);
  EXPECT_EQ(after.status().code(), Code::kNotFound);
  EXPECT_THAT(after.status().message(), HasSubstr("unknown or was revoked"));
  EXPECT_EQ(tokens_->Revoke("admin", made->token.id).code(), Code::kNotFound);
}

TEST_F(StoreTokenServiceTest, ATokenWorksUntilItsExpiryAndNotAfter) {
  auto made = tokens_->Create("admin", "short", 1);
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(made->token.expires_at, "2026-01-02T00:00:00.000Z");
  clock_.Advance(std::chrono::hours(23));
  EXPECT_TRUE(tokens_->Verify(made->secret).ok());
  clock_.Advance(std::chrono::hours(1));
  auto expired = tokens_->Verify(made->secret);
  EXPECT_EQ(expired.status().code(), Code::kNotFound);
  EXPECT_THAT(expired.status().message(), HasSubstr("expired at 2026-01-02T00:00:00.000Z"));
}

TEST_F(StoreTokenServiceTest, LastUseIsWrittenAtMostOnceAMinute) {
  auto made = tokens_->Create("admin", "poller", std::nullopt);
  ASSERT_TRUE(made.ok());
  auto last_used = [&] { return (*store_->tokens().List("admin"))[0].last_used_at; };
  EXPECT_FALSE(last_used());
  ASSERT_TRUE(tokens_->Verify(made->secret).ok());
  EXPECT_EQ(last_used(), "2026-01-01T00:00:00.000Z");
  clock_.Advance(std::chrono::seconds(59));
  ASSERT_TRUE(tokens_->Verify(made->secret).ok());
  EXPECT_EQ(last_used(), "2026-01-01T00:00:00.000Z") << "within the minute: no write";
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(tokens_->Verify(made->secret).ok());
  EXPECT_EQ(last_used(), "2026-01-01T00:01:00.000Z");
}

}  // namespace
}  // namespace rockpool
