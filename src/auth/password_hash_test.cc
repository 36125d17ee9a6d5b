#include "auth/password_hash.h"

#include <crypt.h>
#include <gtest/gtest.h>

namespace rockpool {
namespace {

// A bcrypt hash as earlier releases wrote to auth.json.
std::string LegacyBcrypt(const std::string& password) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn("$2b$", 4, nullptr, 0, setting, sizeof setting), nullptr);
  crypt_data data{};
  return crypt_r(password.c_str(), setting, &data);
}

TEST(PasswordHashTest, HashIsArgon2idAndVerifies) {
  auto hash = HashPassword("correct horse", TestPasswordHashCost());
  ASSERT_TRUE(hash.ok()) << hash.status().message();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=8,t=1,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(ValidPasswordHash(*hash));
  EXPECT_TRUE(PasswordMatches("correct horse", *hash));
  EXPECT_FALSE(PasswordMatches("wrong horse", *hash));
  EXPECT_FALSE(PasswordMatches("correct hors", *hash));
}

TEST(PasswordHashTest, DefaultCostIsMemoryHard) {
  auto hash = HashPassword("pw");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_FALSE(NeedsRehash(*hash));
  EXPECT_TRUE(PasswordMatches("pw", *hash));
}

TEST(PasswordHashTest, EachHashHasItsOwnSalt) {
  EXPECT_NE(*HashPassword("pw", TestPasswordHashCost()),
            *HashPassword("pw", TestPasswordHashCost()));
}

TEST(PasswordHashTest, BcryptOfAnEarlierReleaseStillSignsInAndAsksForARehash) {
  const std::string legacy = LegacyBcrypt("correct horse");
  ASSERT_EQ(legacy.rfind("$2b$04$", 0), 0u);
  EXPECT_TRUE(ValidPasswordHash(legacy));
  EXPECT_TRUE(PasswordMatches("correct horse", legacy));
  EXPECT_FALSE(PasswordMatches("wrong horse", legacy));
  // bcrypt ignores bytes past 72: such a password must not match on its prefix.
  const std::string long_pw(72, 'x');
  const std::string long_hash = LegacyBcrypt(long_pw);
  EXPECT_TRUE(PasswordMatches(long_pw, long_hash));
  EXPECT_FALSE(PasswordMatches(long_pw + "y", long_hash));
  EXPECT_TRUE(NeedsRehash(legacy));
}

TEST(PasswordHashTest, OnlyHashesOfAnotherSchemeAskForARehash) {
  EXPECT_FALSE(NeedsRehash(*HashPassword("pw", TestPasswordHashCost())));
  EXPECT_TRUE(NeedsRehash("not a hash"));
}

TEST(PasswordHashTest, RejectsNulAndOverlongPasswordsAndMalformedHashes) {
  EXPECT_EQ(HashPassword(std::string("a\0b", 3)).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(HashPassword(std::string(1025, 'x')).status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(HashPassword(std::string(1024, 'x'), TestPasswordHashCost()).ok());
  EXPECT_FALSE(ValidPasswordHash(""));
  EXPECT_FALSE(ValidPasswordHash("$argon2id$v=19$m=8,t=1,p=1$"));
  EXPECT_FALSE(ValidPasswordHash("$1$abc$def"));  // md5-crypt: not accepted
  EXPECT_FALSE(PasswordMatches("pw", "$1$abc$def"));
  EXPECT_FALSE(PasswordMatches("pw", ""));
}

}  // namespace
}  // namespace rockpool
