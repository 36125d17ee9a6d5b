#include "auth/address_table.h"

#include <gtest/gtest.h>

namespace rockpool::auth {
namespace {

struct Counter {
  int n = 0;
};

class AddressTableTest : public ::testing::Test {
 protected:
  // An entry is idle when its count went back to zero.
  AddressTable<Counter> table_{3, [](const Counter& c, MonoTime) { return c.n == 0; }};
  FakeMonotonicClock clock_;
};

TEST_F(AddressTableTest, KeepsEachAddressApart) {
  table_.FindOrAdd("a", clock_.Now()).n = 1;
  table_.FindOrAdd("b", clock_.Now()).n = 2;
  EXPECT_EQ(table_.Find("a")->n, 1);
  EXPECT_EQ(table_.Find("b")->n, 2);
  EXPECT_EQ(table_.Find("c"), nullptr);
}

TEST_F(AddressTableTest, WhenFullDropsIdleEntriesToMakeRoom) {
  table_.FindOrAdd("a", clock_.Now()).n = 0;  // idle
  table_.FindOrAdd("b", clock_.Now()).n = 1;
  table_.FindOrAdd("c", clock_.Now()).n = 1;
  table_.FindOrAdd("d", clock_.Now()).n = 1;
  EXPECT_EQ(table_.Find("a"), nullptr);
  EXPECT_EQ(table_.Find("d")->n, 1);
  EXPECT_FALSE(table_.has_overflow());
}

TEST_F(AddressTableTest, WhenFullOfBusyEntriesNewAddressesShareOneOverflowEntry) {
  for (const char* a : {"a", "b", "c"}) table_.FindOrAdd(a, clock_.Now()).n = 1;
  table_.FindOrAdd("x", clock_.Now()).n += 5;
  table_.FindOrAdd("y", clock_.Now()).n += 5;
  EXPECT_EQ(table_.size(), 3u);
  EXPECT_TRUE(table_.has_overflow());
  EXPECT_EQ(table_.Find("x")->n, 10);
  EXPECT_EQ(table_.Find("never-seen")->n, 10) << "untracked addresses share the overflow";
  EXPECT_EQ(table_.Find("a")->n, 1) << "tracked addresses keep their own state";
}

TEST_F(AddressTableTest, OverflowIsKeptUntilItIsIdleSoNoAddressEscapesIt) {
  for (const char* a : {"a", "b", "c"}) table_.FindOrAdd(a, clock_.Now()).n = 1;
  table_.FindOrAdd("x", clock_.Now()).n = 5;
  table_.Find("a")->n = 0;  // room could be made now...
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(table_.FindOrAdd("x", clock_.Now()).n, 5) << "...but x stays in the overflow";
  table_.Find("x")->n = 0;
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(table_.FindOrAdd("z", clock_.Now()).n, 0);
  EXPECT_FALSE(table_.has_overflow());
}

}  // namespace
}  // namespace rockpool::auth
