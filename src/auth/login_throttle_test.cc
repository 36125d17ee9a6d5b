#include "auth/login_throttle.h"

#include <gtest/gtest.h>

namespace rockpool::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class LoginThrottleTest : public ::testing::Test {
 protected:
  void Fail(const std::string& address, int times) {
    for (int i = 0; i < times; ++i) throttle_.RecordFailure(address);
  }

  FakeMonotonicClock clock_;
  LoginThrottle throttle_{ThrottleOptions{}, clock_};
};

TEST_F(LoginThrottleTest, DefaultsAllowFiveFailuresInTenMinutesThenLockFor30Seconds) {
  const ThrottleOptions defaults;
  EXPECT_EQ(defaults.max_failures, 5);
  EXPECT_EQ(defaults.window, minutes(10));
  EXPECT_EQ(defaults.first_lockout, seconds(30));
  EXPECT_EQ(defaults.max_lockout, minutes(15));
  EXPECT_EQ(defaults.forget_after, minutes(60));
}

TEST_F(LoginThrottleTest, LocksOutAfterMaxFailuresWithARetryAfterThatCountsDown) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(throttle_.RecordFailure("10.0.0.1"), std::nullopt) << i;
    EXPECT_EQ(throttle_.RetryAfter("10.0.0.1"), std::nullopt);
  }
  EXPECT_EQ(throttle_.RecordFailure("10.0.0.1"), seconds(30));
  EXPECT_EQ(throttle_.RetryAfter("10.0.0.1"), seconds(30));
  clock_.Advance(std::chrono::milliseconds(10'500));
  EXPECT_EQ(throttle_.RetryAfter("10.0.0.1"), seconds(20)) << "rounded up";
  clock_.Advance(seconds(20));
  EXPECT_EQ(throttle_.RetryAfter("10.0.0.1"), std::nullopt);
}

TEST_F(LoginThrottleTest, FailuresOlderThanTheWindowAreForgotten) {
  Fail("a", 4);
  clock_.Advance(minutes(11));
  Fail("a", 4);
  EXPECT_EQ(throttle_.RetryAfter("a"), std::nullopt);
  EXPECT_EQ(throttle_.RecordFailure("a"), seconds(30));
}

TEST_F(LoginThrottleTest, EachLaterFailureLocksOutTwiceAsLongUpToTheCap) {
  Fail("a", 5);
  std::vector<int64_t> lockouts;
  for (int i = 0; i < 7; ++i) {
    clock_.Advance(*throttle_.RetryAfter("a"));
    auto lockout = throttle_.RecordFailure("a");
    ASSERT_TRUE(lockout.has_value()) << "one failure after a lockout locks out again";
    lockouts.push_back(lockout->count());
  }
  EXPECT_EQ(lockouts, (std::vector<int64_t>{60, 120, 240, 480, 900, 900, 900}));
}

TEST_F(LoginThrottleTest, AQuietAddressStartsAfresh) {
  Fail("a", 5);
  clock_.Advance(seconds(30));
  Fail("a", 1);  // 60 s lockout
  clock_.Advance(minutes(61));
  Fail("a", 4);
  EXPECT_EQ(throttle_.RetryAfter("a"), std::nullopt);
}

TEST_F(LoginThrottleTest, SuccessClearsTheRecord) {
  Fail("a", 4);
  throttle_.RecordSuccess("a");
  Fail("a", 4);
  EXPECT_EQ(throttle_.RetryAfter("a"), std::nullopt);
  EXPECT_EQ(throttle_.tracked_addresses(), 1u);
}

TEST_F(LoginThrottleTest, FailuresDuringALockoutDoNotExtendIt) {
  Fail("a", 5);
  Fail("a", 20);  // checks that were already running when the lockout began
  EXPECT_EQ(throttle_.RetryAfter("a"), seconds(30));
}

TEST_F(LoginThrottleTest, AddressesAreThrottledSeparately) {
  Fail("attacker", 5);
  EXPECT_TRUE(throttle_.RetryAfter("attacker").has_value());
  EXPECT_EQ(throttle_.RetryAfter("user"), std::nullopt);
}

TEST_F(LoginThrottleTest, AFloodOfAddressesStaysBoundedAndIsThrottledTogether) {
  ThrottleOptions options;
  options.max_addresses = 100;
  LoginThrottle throttle(options, clock_);
  for (int i = 0; i < 100; ++i) throttle.RecordFailure("10.1.0." + std::to_string(i));
  // The table is full of addresses with recent failures: new ones share one record.
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("10.2.0." + std::to_string(i));
  EXPECT_EQ(throttle.tracked_addresses(), 100u);
  EXPECT_EQ(throttle.RetryAfter("10.3.0.1"), seconds(30)) << "an untracked address";
  EXPECT_EQ(throttle.RetryAfter("10.1.0.7"), std::nullopt) << "a tracked one keeps its own";
  // Once the flood's failures have expired, room is made for new addresses again.
  clock_.Advance(minutes(61));
  EXPECT_EQ(throttle.RecordFailure("10.4.0.1"), std::nullopt);
  EXPECT_EQ(throttle.RetryAfter("10.4.0.1"), std::nullopt);
  EXPECT_LE(throttle.tracked_addresses(), 100u);
}

TEST(RetryAfterSecondsTest, RoundsUpToWholeSecondsAndIsAtLeastOne) {
  EXPECT_EQ(RetryAfterSeconds(std::chrono::milliseconds(1)), seconds(1));
  EXPECT_EQ(RetryAfterSeconds(std::chrono::milliseconds(1001)), seconds(2));
  EXPECT_EQ(RetryAfterSeconds(seconds(0)), seconds(1));
}

}  // namespace
}  // namespace rockpool::auth
