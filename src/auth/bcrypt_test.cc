#include "auth/bcrypt.h"

#include <gtest/gtest.h>

namespace rockpool {
namespace {

TEST(BcryptTest, HashIsBcrypt2bThatCryptVerifies) {
  auto hash = HashPassword("correct horse", 4);
  ASSERT_TRUE(hash.ok()) << hash.status().message();
  EXPECT_EQ(hash->rfind("$2b$04$", 0), 0u);
  EXPECT_EQ(hash->size(), 60u);
  EXPECT_TRUE(PasswordMatches("correct horse", *hash));
  EXPECT_FALSE(PasswordMatches("wrong horse", *hash));
}

TEST(BcryptTest, EachHashHasItsOwnSalt) {
  EXPECT_NE(*HashPassword("pw", 4), *HashPassword("pw", 4));
}

TEST(BcryptTest, DefaultCostIsTen) { EXPECT_EQ(HashPassword("pw")->rfind("$2b$10$", 0), 0u); }

TEST(BcryptTest, RejectsBadCostAndOverlongPasswords) {
  EXPECT_EQ(HashPassword("pw", 3).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(HashPassword("pw", 32).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(HashPassword(std::string(73, 'x'), 4).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace rockpool
