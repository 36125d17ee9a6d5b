#include "api/list_cache.h"

#include <gtest/gtest.h>

namespace rockpool::api {
namespace {

std::shared_ptr<const std::string> Text(std::string s) {
  return std::make_shared<const std::string>(std::move(s));
}

TEST(ListCacheTest, AnswersOnlyForTheRevisionItWasStoredAt) {
  ListCache cache(1 << 20);
  EXPECT_EQ(cache.Find("50/", 7), nullptr);
  cache.Store("50/", 7, Text("page"));
  ASSERT_NE(cache.Find("50/", 7), nullptr);
  EXPECT_EQ(*cache.Find("50/", 7), "page");
  EXPECT_EQ(cache.Find("50/", 8), nullptr);
  EXPECT_EQ(cache.Find("25/", 7), nullptr);
}

TEST(ListCacheTest, ANewRevisionDropsTheOldAnswers) {
  ListCache cache(1 << 20);
  cache.Store("50/", 7, Text("old first page"));
  cache.Store("50/abc", 7, Text("old second page"));
  cache.Store("50/", 8, Text("new first page"));
  EXPECT_EQ(cache.Find("50/abc", 7), nullptr);
  EXPECT_EQ(cache.Find("50/abc", 8), nullptr);
  EXPECT_EQ(*cache.Find("50/", 8), "new first page");
  EXPECT_EQ(cache.bytes(), std::string("50/new first page").size());
}

TEST(ListCacheTest, StaysWithinItsBudget) {
  ListCache cache(100);
  cache.Store("a", 1, Text(std::string(60, 'x')));
  cache.Store("b", 1, Text(std::string(60, 'y')));  // over budget: starts again with b only
  EXPECT_EQ(cache.Find("a", 1), nullptr);
  ASSERT_NE(cache.Find("b", 1), nullptr);
  EXPECT_LE(cache.bytes(), 100u);
  cache.Store("huge", 1, Text(std::string(200, 'z')));  // never fits: not stored
  EXPECT_EQ(cache.Find("huge", 1), nullptr);
  EXPECT_NE(cache.Find("b", 1), nullptr);
}

TEST(ListCacheTest, ANoughtBudgetKeepsNothing) {
  ListCache cache(0);
  cache.Store("50/", 1, Text("page"));
  EXPECT_EQ(cache.Find("50/", 1), nullptr);
  EXPECT_EQ(cache.bytes(), 0u);
}

}  // namespace
}  // namespace rockpool::api
