#include "api/security_gate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>

#include "api/test_server.h"

namespace rockpool::api {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;

class SecurityGateTest : public ::testing::Test {
 protected:
  std::optional<ApiError> Check(const GateRequest& r) { return Answer(r).refusal; }
  GateAnswer Answer(const GateRequest& r) {
    std::promise<GateAnswer> decided;
    auto f = decided.get_future();
    gate_.Check(r, [&](GateAnswer a) { decided.set_value(std::move(a)); });
    return f.get();
  }
  static GateRequest Get(std::string path, bool signed_in = true) {
    GateRequest r;
    r.method = "GET";
    r.path = std::move(path);
    r.client = "10.0.0.1";
    if (signed_in) r.authorization = SignedInHeaders()[0].second;
    return r;
  }
  static SecurityOptions SmallBudget() {
    SecurityOptions o;
    o.budget.requests_per_second = 1;
    o.budget.burst = 100;
    return o;
  }

  auth::FakeMonotonicClock clock_;
  auth::FixedCredentialSource credentials_{BasicAuth{kTestUser, TestPasswordHash()}};
  SecurityGate gate_{credentials_, SmallBudget(), clock_};
};

TEST_F(SecurityGateTest, SignedInApiRequestsPass) {
  EXPECT_EQ(Check(Get("/api/workspaces")), std::nullopt);
  const GateAnswer answer = Answer(Get("/api/workspaces"));
  EXPECT_EQ(answer.principal.username, kTestUser) << "the gate names whom a request acts for";
  EXPECT_EQ(answer.principal.token_id, "");
  EXPECT_FALSE(answer.principal.local);
}

TEST_F(SecurityGateTest, HealthAloneNeedsNoCredentials) {
  EXPECT_EQ(Check(Get("/api/health", false)), std::nullopt);
  for (const char* path : {"/api/workspaces", "/api/metrics", "/api/nothing", "/api", "/", "/x"}) {
    auto e = Check(Get(path, false));
    ASSERT_TRUE(e.has_value()) << path;
    EXPECT_EQ(e->http_status, 401) << path;
    EXPECT_THAT(e->headers,
                ::testing::Contains(Pair("WWW-Authenticate", R"(Bearer realm="Rockpool")")));
  }
  GateRequest post = Get("/api/health", false);
  post.method = "POST";
  EXPECT_EQ(Check(post)->http_status, 403) << "only GET /api/health is open";
}

TEST_F(SecurityGateTest, ASpentBudgetIs429WithRetryAfterAndRefillsWithTime) {
  for (int i = 0; i < 100; ++i) ASSERT_EQ(Check(Get("/api/workspaces")), std::nullopt);
  auto e = Check(Get("/api/health"));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->http_status, 429);
  EXPECT_EQ(e->code, "rate_limited");
  EXPECT_THAT(e->message, HasSubstr("the API request budget of 10.0.0.1 is spent (1 requests a "
                                    "second, bursts of 100); retry in 1 s"));
  EXPECT_THAT(e->headers, ::testing::Contains(Pair("Retry-After", "1")));
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(Check(Get("/api/workspaces")), std::nullopt);
}

TEST_F(SecurityGateTest, ForwardAuthDoesNotSpendTheApiBudget) {
  for (int i = 0; i < 20; ++i) ASSERT_EQ(Check(Get(kForwardAuthPath)), std::nullopt);
  EXPECT_EQ(Check(Get("/api/workspaces")), std::nullopt);
}

TEST_F(SecurityGateTest, ForwardAuthNeedsCredentials) {
  auto e = Check(Get(kForwardAuthPath, false));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->http_status, 401);
  EXPECT_THAT(e->message, HasSubstr("no credentials were sent; sign in with the Rockpool "
                                    "username and password"));
}

TEST_F(SecurityGateTest, CrossSiteRequestsAreRefusedBeforeTheirCredentialsAreLookedAt) {
  GateRequest r = Get("/api/workspaces/demo/stop");
  r.method = "POST";
  r.origin = "http://evil.example";
  r.authorization = "Basic d3Jvbmc6d3Jvbmc=";  // wrong:wrong
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Check(r)->http_status, 403);
  EXPECT_EQ(gate_.authenticator().hash_checks(), 0u);
  EXPECT_EQ(gate_.authenticator().throttle().RetryAfter("10.0.0.1"), std::nullopt);
}

TEST_F(SecurityGateTest, ThrottledAddressGets429WithRetryAfter) {
  GateRequest wrong = Get(kForwardAuthPath);
  wrong.authorization = "Basic d3Jvbmc6d3Jvbmc=";
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Check(wrong)->http_status, 401);
  auto e = Check(Get(kForwardAuthPath));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->http_status, 429);
  EXPECT_THAT(e->headers, ::testing::Contains(Pair("Retry-After", "30")));
}

TEST_F(SecurityGateTest, UnreadableCredentialsAre503WithTheFix) {
  credentials_.Fail(Status::Unavailable("sign-in is refused: auth.json is missing. Fix: ..."));
  auto e = Check(Get("/api/workspaces"));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->http_status, 503);
  EXPECT_EQ(e->code, "unavailable");
  EXPECT_THAT(e->message, HasSubstr("auth.json is missing"));
}

}  // namespace
}  // namespace rockpool::api
