#include "store/cursor.h"

#include <gtest/gtest.h>

namespace rockpool {
namespace {

TEST(Base64Url, RoundTripsEveryLength) {
  std::string data;
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(data)), data) << i;
    data += static_cast<char>(i * 37);
  }
}

TEST(Base64Url, UsesUrlSafeAlphabetWithoutPadding) {
  const std::string enc = Base64UrlEncode("\xfb\xff\xfe?");
  EXPECT_EQ(enc.find_first_of("+/="), std::string::npos);
}

TEST(Cursor, RoundTripsSortKey) {
  auto key = DecodeCursor(EncodeCursor({"2026-01-01T00:00:00.000Z", "abc"}));
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->created_at, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(key->id, "abc");
}

TEST(Cursor, RejectsGarbage) {
  EXPECT_FALSE(DecodeCursor(""));
  EXPECT_FALSE(DecodeCursor("!!!"));
  EXPECT_FALSE(DecodeCursor(Base64UrlEncode("no newline")));
  EXPECT_FALSE(DecodeCursor(Base64UrlEncode("yesterday\nabc")));
  EXPECT_FALSE(DecodeCursor(Base64UrlEncode("2026-01-01T00:00:00.000Z\n")));
}

}  // namespace
}  // namespace rockpool
