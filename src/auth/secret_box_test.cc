#include "auth/secret_box.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "store/temp_dir.h"

namespace rockpool::auth {
namespace {

TEST(SecretBoxTest, SealedSecretsOpenUnderTheSameKeyOnly) {
  auto box = SecretBox::FromKey(std::string(32, 'k'));
  ASSERT_TRUE(box.ok());
  auto sealed = (*box)->Seal("ghp_secret-token");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->find("ghp_secret"), std::string::npos);
  EXPECT_NE(*(*box)->Seal("ghp_secret-token"), *sealed) << "a fresh nonce each time";
  EXPECT_EQ(*(*box)->Open(*sealed), "ghp_secret-token");

  auto other = SecretBox::FromKey(std::string(32, 'o'));
  EXPECT_EQ((*other)->Open(*sealed).status().code(), Code::kInternal);
  std::string tampered = *sealed;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ((*box)->Open(tampered).status().code(), Code::kInternal);
  EXPECT_EQ((*box)->Open("plain text").status().code(), Code::kInternal);
  EXPECT_EQ((*box)->Open("v1:").status().code(), Code::kInternal);
  EXPECT_FALSE(SecretBox::FromKey("short").ok());
}

TEST(SecretBoxTest, TheKeyFileIsMadeOncePrivateAndKept) {
  TempDir dir;
  const std::string path = dir.File("secret.key");
  auto first = SecretBox::OpenOrCreate(path);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  auto sealed = (*first)->Seal("t");
  auto second = SecretBox::OpenOrCreate(path);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*(*second)->Open(*sealed), "t") << "the same key is read back";
}

TEST(SecretBoxTest, AKeyOthersCanReadOrThatIsNoKeyIsRefused) {
  TempDir dir;
  const std::string path = dir.File("secret.key");
  ASSERT_TRUE(SecretBox::OpenOrCreate(path).ok());
  ::chmod(path.c_str(), 0644);
  auto open = SecretBox::OpenOrCreate(path);
  EXPECT_EQ(open.status().code(), Code::kInternal);
  EXPECT_NE(open.status().message().find("chmod 600"), std::string::npos);
  ::chmod(path.c_str(), 0600);
  std::ofstream(path, std::ios::trunc) << "not a key";
  EXPECT_EQ(SecretBox::OpenOrCreate(path).status().code(), Code::kInternal);
}

}  // namespace
}  // namespace rockpool::auth
