#include "auth/verified_cache.h"

#include <gtest/gtest.h>

namespace rockpool::auth {
namespace {

TEST(VerifiedCacheTest, KeyDependsOnBothTheHashAndTheHeader) {
  EXPECT_EQ(VerifiedCache::Key("$2b$h1", "Basic abc"), VerifiedCache::Key("$2b$h1", "Basic abc"));
  EXPECT_NE(VerifiedCache::Key("$2b$h1", "Basic abc"), VerifiedCache::Key("$2b$h2", "Basic abc"));
  EXPECT_NE(VerifiedCache::Key("$2b$h1", "Basic abc"), VerifiedCache::Key("$2b$h1", "Basic abd"));
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
