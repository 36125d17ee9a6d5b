#include "http/encoding.h"

#include <gtest/gtest.h>

namespace rockpool {
namespace {

TEST(EncodingTest, Base64PadsEveryRemainder) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("a"), "YQ==");
  EXPECT_EQ(Base64("ab"), "YWI=");
  EXPECT_EQ(Base64("abc"), "YWJj");
  EXPECT_EQ(Base64("admin:s3cr\xff"), "YWRtaW46czNjcv8=");
}

TEST(EncodingTest, UrlEncodeKeepsUnreservedAndSlashesOnlyWhenAsked) {
  EXPECT_EQ(UrlEncode("/etc/rockpool/a b.yaml", true), "/etc/rockpool/a%20b.yaml");
  EXPECT_EQ(UrlEncode("a+b/c="), "a%2Bb%2Fc%3D");
  EXPECT_EQ(UrlEncode("x=1&y"), "x%3D1%26y");
  EXPECT_EQ(UrlEncode("a-b_c.d~"), "a-b_c.d~");
}

TEST(EncodingTest, BasicAuthHeaderEncodesUserAndPassword) {
  Headers h = BasicAuthHeader("admin", "pw");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].first, "Authorization");
  EXPECT_EQ(h[0].second, "Basic YWRtaW46cHc=");
}

}  // namespace
}  // namespace rockpool
