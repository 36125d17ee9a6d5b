#include "auth/api_token.h"

#include <gtest/gtest.h>

#include <set>

namespace rockpool::auth {
namespace {

TEST(ApiTokenTest, SecretsAreFreshAndOfTheirShape) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string secret = NewTokenSecret();
    EXPECT_TRUE(LooksLikeTokenSecret(secret)) << secret;
    EXPECT_EQ(secret.size(), 47u);
    EXPECT_TRUE(seen.insert(secret).second) << "a secret came twice: " << secret;
  }
}

TEST(ApiTokenTest, TextOfAnotherShapeIsNoSecret) {
  const std::string good = NewTokenSecret();
  EXPECT_FALSE(LooksLikeTokenSecret(""));
  EXPECT_FALSE(LooksLikeTokenSecret(good.substr(0, good.size() - 1)));
  EXPECT_FALSE(LooksLikeTokenSecret(good + "A"));
  EXPECT_FALSE(LooksLikeTokenSecret("rpx_" + good.substr(4)));
  EXPECT_FALSE(LooksLikeTokenSecret(good.substr(0, 10) + "+" + good.substr(11)));
}

TEST(ApiTokenTest, TheDigestIsSha256InHex) {
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(TokenDigest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string secret = NewTokenSecret();
  EXPECT_EQ(TokenDigest(secret), TokenDigest(secret));
  EXPECT_NE(TokenDigest(secret), TokenDigest(NewTokenSecret()));
}

TEST(ApiTokenTest, BearerHeadersAreParsedAndOtherSchemesAreNot) {
  EXPECT_EQ(ParseBearerAuthorization("Bearer rpt_abc"), "rpt_abc");
  EXPECT_EQ(ParseBearerAuthorization("bearer   rpt_abc "), "rpt_abc");
  EXPECT_EQ(ParseBearerAuthorization("BEARER rpt_abc"), "rpt_abc");
  EXPECT_EQ(ParseBearerAuthorization("Basic YTpi"), std::nullopt);
  EXPECT_EQ(ParseBearerAuthorization("Bearer"), std::nullopt);
  EXPECT_EQ(ParseBearerAuthorization("Bearerx rpt_abc"), std::nullopt);
  EXPECT_EQ(ParseBearerAuthorization(""), std::nullopt);
}

}  // namespace
}  // namespace rockpool::auth
