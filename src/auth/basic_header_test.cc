#include "auth/basic_header.h"

#include <gtest/gtest.h>

namespace rockpool::auth {
namespace {

TEST(BasicHeaderTest, ParsesUserAndPasswordWithColonsInThePassword) {
  auto c = ParseBasicAuthorization(
      "Basic YWRtaW46czNjcjN0OndpdGg6Y29sb25z");  // admin:s3cr3t:with:colons
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->username, "admin");
  EXPECT_EQ(c->password, "s3cr3t:with:colons");
}

TEST(BasicHeaderTest, SchemeIsCaseInsensitiveAndPaddingOptional) {
  EXPECT_EQ(ParseBasicAuthorization("bAsIc  YWRtaW46cHc=")->password, "pw");
  EXPECT_EQ(ParseBasicAuthorization("Basic YWRtaW46cHc")->password, "pw");
}

TEST(BasicHeaderTest, RejectsOtherSchemesAndMalformedValues) {
  EXPECT_FALSE(ParseBasicAuthorization("Bearer YWRtaW46cHc="));
  EXPECT_FALSE(ParseBasicAuthorization("Basic"));
  EXPECT_FALSE(ParseBasicAuthorization("BasicYWRtaW46cHc="));
  EXPECT_FALSE(ParseBasicAuthorization("Basic !!!!"));
  EXPECT_FALSE(ParseBasicAuthorization("Basic YWRtaW4=")) << "no colon";
  EXPECT_FALSE(ParseBasicAuthorization(""));
}

TEST(BasicHeaderTest, DecodesBase64) {
  EXPECT_EQ(DecodeBase64("aGVsbG8="), "hello");
  EXPECT_EQ(DecodeBase64(""), "");
  EXPECT_FALSE(DecodeBase64("a"));
}

}  // namespace
}  // namespace rockpool::auth
