#include "auth/file_credential_source.h"

#include <crypt.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "auth/password_hash.h"
#include "store/temp_dir.h"

namespace rockpool::auth {
namespace {

using ::testing::HasSubstr;

const std::string kHashA =
    "$argon2id$v=19$m=65536,t=2,p=1$" + std::string(22, 'a') + "$" + std::string(43, 'a');
const std::string kHashB =
    "$argon2id$v=19$m=65536,t=2,p=1$" + std::string(22, 'b') + "$" + std::string(43, 'b');

std::string AuthJson(const std::string& user, const std::string& hash) {
  return R"({"username": ")" + user + R"(", "passwordHash": ")" + hash + "\"}\n";
}
// auth.json as earlier releases wrote it: a bcrypt hash under "bcrypt".
std::string LegacyAuthJson(const std::string& user, const std::string& hash) {
  return R"({"username": ")" + user + R"(", "bcrypt": ")" + hash + "\"}\n";
}

class FileCredentialSourceTest : public ::testing::Test {
 protected:
  void Write(const std::string& text) { std::ofstream(path_, std::ios::trunc) << text; }
  // Replaces the file the way `rockpool up` does: a new file renamed over the old one.
  void Replace(const std::string& text) {
    std::ofstream(path_ + ".tmp") << text;
    std::filesystem::rename(path_ + ".tmp", path_);
  }
  void ExpectFailsClosed(const std::string& why) {
    auto r = source_.Current();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kUnavailable);
    EXPECT_THAT(r.status().message(), HasSubstr(path_));
    EXPECT_THAT(r.status().message(), HasSubstr(why));
    EXPECT_THAT(r.status().message(), HasSubstr("delete " + path_));
    EXPECT_THAT(r.status().message(), HasSubstr("run `rockpool up`"));
    EXPECT_THAT(r.status().message(), HasSubstr("ROCKPOOL_PASSWORD"));
  }

  TempDir dir_;
  std::string path_ = dir_.File("auth.json");
  FileCredentialSource source_{path_};
};

TEST_F(FileCredentialSourceTest, ReadsTheUsernameAndHash) {
  Write(AuthJson("admin", kHashA));
  auto r = source_.Current();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->username, "admin");
  EXPECT_EQ(r->password_hash, kHashA);
}

TEST_F(FileCredentialSourceTest, MissingFileFailsClosedAndSaysHowToFixIt) {
  ExpectFailsClosed("is missing");
}

TEST_F(FileCredentialSourceTest, CorruptFilesFailClosed) {
  Write("{\"username\": \"admin\", \"bcr");
  ExpectFailsClosed("is not valid JSON");
  Replace(R"({"username": "admin"})");
  ExpectFailsClosed("no valid \"passwordHash\"");
  Replace(AuthJson("admin", "plaintext-password"));
  ExpectFailsClosed("no valid \"passwordHash\"");
  Replace(AuthJson("admin", "$2b$10$" + std::string(52, 'a')));
  ExpectFailsClosed("no valid \"passwordHash\"");
  Replace(AuthJson("", kHashA));
  ExpectFailsClosed("no valid \"username\"");
  Replace(AuthJson("ad:min", kHashA));
  ExpectFailsClosed("no valid \"username\"");
  Replace("[]");
  ExpectFailsClosed("is not a JSON object");
}

TEST_F(FileCredentialSourceTest, SomethingOtherThanAFileFailsClosed) {
  std::filesystem::create_directory(path_);
  ExpectFailsClosed("is not a regular file");
}

TEST_F(FileCredentialSourceTest, UnreadableFileFailsClosed) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads a 0000 file anyway";
  Write(AuthJson("admin", kHashA));
  chmod(path_.c_str(), 0);
  ExpectFailsClosed("cannot be read");
}

TEST_F(FileCredentialSourceTest, PicksUpAReplacedFile) {
  Write(AuthJson("admin", kHashA));
  ASSERT_TRUE(source_.Current().ok());
  Replace(AuthJson("admin", kHashB));
  EXPECT_EQ(source_.Current()->password_hash, kHashB);
}

TEST_F(FileCredentialSourceTest, PicksUpAnInPlaceRewrite) {
  Write(AuthJson("admin", kHashA));
  ASSERT_TRUE(source_.Current().ok());
  Write(AuthJson("someone", kHashA));
  EXPECT_EQ(source_.Current()->username, "someone");
}

TEST_F(FileCredentialSourceTest, RecoversWhenTheFileIsRepaired) {
  Write("garbage");
  ASSERT_FALSE(source_.Current().ok());
  std::filesystem::remove(path_);
  ASSERT_FALSE(source_.Current().ok());
  Replace(AuthJson("admin", kHashA));
  EXPECT_TRUE(source_.Current().ok());
}

TEST_F(FileCredentialSourceTest, AnUnchangedFileIsNotReadAgain) {
  Write(AuthJson("admin", kHashA));
  struct stat before {};
  ASSERT_EQ(stat(path_.c_str(), &before), 0);
  ASSERT_TRUE(source_.Current().ok());
  // Same size, same inode, and the old modification time put back: nothing to notice.
  Write(AuthJson("admin", kHashB));
  const timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(utimensat(AT_FDCWD, path_.c_str(), times, 0), 0);
  EXPECT_EQ(source_.Current()->password_hash, kHashA);
}

TEST_F(FileCredentialSourceTest, AnEarlierReleasesBcryptIsReplacedByArgon2idAtTheFirstSignIn) {
  const std::string legacy = [] {
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    crypt_gensalt_rn("$2b$", 4, nullptr, 0, setting, sizeof setting);
    crypt_data data{};
    return std::string(crypt_r("the password", setting, &data));
  }();
  Write(LegacyAuthJson("admin", legacy));
  auto before = source_.Current();
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(before->password_hash, legacy);
  ASSERT_TRUE(NeedsRehash(legacy));

  // The authenticator verified "the password" against the stored bcrypt hash.
  source_.Rehash(*before, "the password");
  auto after = source_.Current();
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(after->username, "admin");
  EXPECT_EQ(after->password_hash.rfind("$argon2id$", 0), 0u) << after->password_hash;
  EXPECT_TRUE(PasswordMatches("the password", after->password_hash));
  EXPECT_FALSE(NeedsRehash(after->password_hash));
  EXPECT_EQ(std::filesystem::status(path_).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(FileCredentialSourceTest, RehashLeavesAnAccountChangedSinceAlone) {
  Write(AuthJson("admin", kHashA));
  auto verified = source_.Current();
  ASSERT_TRUE(verified.ok());
  Replace(AuthJson("admin", kHashB));  // `rockpool up` set a new password meanwhile
  source_.Rehash(*verified, "the old password");
  EXPECT_EQ(source_.Current()->password_hash, kHashB);
}

}  // namespace
}  // namespace rockpool::auth
