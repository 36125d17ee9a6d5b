#include "auth/verified_cache.h"

#include <gtest/gtest.h>

namespace rockpool::auth {
namespace {

TEST(VerifiedCacheTest, KeyDependsOnBothTheHashAndTheHeader) {
  EXPECT_EQ(VerifiedCache::Key("$2b$h1", "Basic abc"), VerifiedCache::Key("$2b$h1", "Basic abc"));
  EXPECT_NE(VerifiedCache::Key("$2b$h1", "Basic abc"), VerifiedCache::Key("$2b$h2", "Basic abc"));
  EXPECT_NE(VerifiedCache::Key("$2b$h1", "Basic abc"), VerifiedCache::Key("$2b$h1", "Basic abd"));
}

TEST(DigestTest, Sha256MatchesTheStandardTestVector) {
  const Sha256Digest d = Sha256("abc");
  std::string hex;
  for (uint8_t b : d) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  EXPECT_EQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("same", "same"));
  EXPECT_FALSE(ConstantTimeEquals("same", "sane"));
  EXPECT_FALSE(ConstantTimeEquals("same", "same!"));
}

TEST(VerifiedCacheTest, RemembersInsertedKeysAndStaysBounded) {
  VerifiedCache cache(3);
  for (int i = 0; i < 10; ++i) {
    cache.Insert(VerifiedCache::Key("h", std::to_string(i)));
    EXPECT_LE(cache.size(), 3u);
  }
  EXPECT_TRUE(cache.Contains(VerifiedCache::Key("h", "9")));
  EXPECT_FALSE(cache.Contains(VerifiedCache::Key("h", "0")));
}

}  // namespace
}  // namespace rockpool::auth
