#include "auth/request_budget.h"

#include <gtest/gtest.h>

namespace rockpool::auth {
namespace {

using std::chrono::seconds;

TEST(RequestBudgetTest, DefaultsAre50PerSecondWithABurstOf500) {
  const BudgetOptions defaults;
  EXPECT_EQ(defaults.requests_per_second, 50);
  EXPECT_EQ(defaults.burst, 500);
}

TEST(RequestBudgetTest, AllowsTheBurstThenRefusesWithRetryAfter) {
  FakeMonotonicClock clock;
  RequestBudget budget({.requests_per_second = 2, .burst = 10}, clock);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(budget.Spend("a"), std::nullopt) << i;
  EXPECT_EQ(budget.Spend("a"), seconds(1));
  EXPECT_EQ(budget.Spend("a"), seconds(1)) << "a refused request takes nothing";
}

TEST(RequestBudgetTest, RefillsAtTheSustainedRate) {
  FakeMonotonicClock clock;
  RequestBudget budget({.requests_per_second = 2, .burst = 10}, clock);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(budget.Spend("a"), std::nullopt);
  clock.Advance(seconds(1));
  EXPECT_EQ(budget.Spend("a"), std::nullopt);
  EXPECT_EQ(budget.Spend("a"), std::nullopt);
  EXPECT_TRUE(budget.Spend("a").has_value());
  clock.Advance(seconds(60));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(budget.Spend("a"), std::nullopt) << "never above burst";
  EXPECT_TRUE(budget.Spend("a").has_value());
}

TEST(RequestBudgetTest, RetryAfterIsTheTimeUntilOneRequestIsBack) {
  FakeMonotonicClock clock;
  RequestBudget budget({.requests_per_second = 0.1, .burst = 1}, clock);
  ASSERT_EQ(budget.Spend("a"), std::nullopt);
  EXPECT_EQ(budget.Spend("a"), seconds(10));
  clock.Advance(seconds(4));
  EXPECT_EQ(budget.Spend("a"), seconds(6));
}

TEST(RequestBudgetTest, EachAddressHasItsOwnBudget) {
  FakeMonotonicClock clock;
  RequestBudget budget({.requests_per_second = 1, .burst = 2}, clock);
  budget.Spend("a");
  budget.Spend("a");
  EXPECT_TRUE(budget.Spend("a").has_value());
  EXPECT_EQ(budget.Spend("b"), std::nullopt);
}

TEST(RequestBudgetTest, MemoryIsBoundedAndRefilledBucketsAreDroppedFirst) {
  FakeMonotonicClock clock;
  RequestBudget budget({.requests_per_second = 1, .burst = 5, .max_addresses = 50}, clock);
  for (int i = 0; i < 50; ++i) budget.Spend("10.0.0." + std::to_string(i));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(budget.Spend("new-" + std::to_string(i)), std::nullopt);
  EXPECT_TRUE(budget.Spend("new-99").has_value()) << "new addresses share one overflow bucket";
  EXPECT_EQ(budget.tracked_addresses(), 50u);
  clock.Advance(seconds(10));  // every bucket is full again: nothing to keep
  EXPECT_EQ(budget.Spend("later"), std::nullopt);
  EXPECT_LE(budget.tracked_addresses(), 50u);
}

}  // namespace
}  // namespace rockpool::auth
