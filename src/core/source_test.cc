#include "core/source.h"

#include <gtest/gtest.h>

namespace rockpool {
namespace {

Status Check(const std::string& url, std::optional<std::string> token = std::nullopt) {
  return ValidateSourceRequest({url, std::nullopt, std::nullopt, std::move(token)});
}

TEST(SourceTest, HttpsAndHttpUrlsWithAHostAreAccepted) {
  EXPECT_TRUE(Check("https://github.com/owner/project.git").ok());
  EXPECT_TRUE(Check("http://203.0.113.2:8000/project.git").ok());
  EXPECT_TRUE(Check("https://git.example.com/a/b", "tok-123").ok());
}

TEST(SourceTest, OtherSchemesCredentialsAndOddCharactersAreRefused) {
  for (const char* url :
       {"git@github.com:owner/project.git", "ssh://github.com/x", "file:///etc", "ext::sh -c id",
        "/srv/repo", "https://", "https:///path", "https://user:pw@github.com/x",
        "https://tok@github.com/x", "https://github.com/a b", "https://github.com/a\nb"}) {
    Status st = Check(url);
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << url;
    EXPECT_NE(st.message().find("invalid repository url"), std::string::npos) << st.message();
  }
  EXPECT_NE(Check("https://u:p@h/x").message().find("repository.token"), std::string::npos);
}

TEST(SourceTest, ATokenTravelsOnlyOverHttps) {
  Status st = Check("http://git.example.com/x", "secret");
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_NE(st.message().find("only sent over https"), std::string::npos);
  EXPECT_EQ(Check("https://git.example.com/x", "").code(), Code::kInvalidArgument);
  EXPECT_EQ(Check("https://git.example.com/x", "a b").code(), Code::kInvalidArgument);
}

TEST(SourceTest, RefsThatGitWouldReadAsOptionsOrRangesAreRefused) {
  for (const char* ref : {"main", "v1.2.3", "feature/x", "0123abcd"}) {
    EXPECT_TRUE(ValidateGitRef(ref).ok()) << ref;
  }
  for (const char* ref : {"", "-b", "--upload-pack=x", "a..b", "a b", "x~1", "x^", "a:b", "/x",
                          "x/", "x.", "@{-1}"}) {
    EXPECT_EQ(ValidateGitRef(ref).code(), Code::kInvalidArgument) << ref;
  }
}

TEST(SourceTest, GitComplaintsAreSortedIntoWhatAPersonCanFix) {
  EXPECT_EQ(ClassifyCloneError("fatal: Authentication failed for 'https://h/x.git/'"),
            CloneError::kAuthentication);
  EXPECT_EQ(ClassifyCloneError("fatal: could not read Username for 'https://h': terminal "
                               "prompts disabled"),
            CloneError::kAuthentication);
  EXPECT_EQ(ClassifyCloneError("warning: Could not find remote branch nope to clone.\nfatal: "
                               "Remote branch nope not found in upstream origin"),
            CloneError::kMissingRef);
  EXPECT_EQ(ClassifyCloneError("error: pathspec 'deadbeef' did not match any file(s) known to "
                               "git"),
            CloneError::kMissingRef);
  EXPECT_EQ(ClassifyCloneError("fatal: unable to access 'https://h/x/': Could not resolve host: "
                               "h"),
            CloneError::kUnreachable);
  EXPECT_EQ(ClassifyCloneError("fatal: unable to access 'https://203.0.113.9/x/': Failed to "
                               "connect to 203.0.113.9 port 443 after 3 ms: Couldn't connect to "
                               "server"),
            CloneError::kUnreachable);
  EXPECT_EQ(ClassifyCloneError("fatal: repository 'https://h/nope.git/' not found"),
            CloneError::kBadUrl);
  EXPECT_EQ(ClassifyCloneError("fatal: No space left on device"), CloneError::kOther);
}

TEST(SourceTest, NamesRoundTrip) {
  for (auto s : {SourceStatus::kPending, SourceStatus::kCloned, SourceStatus::kFailed}) {
    EXPECT_EQ(ParseSourceStatus(SourceStatusName(s)), s);
  }
  for (auto e : {CloneError::kBadUrl, CloneError::kMissingRef, CloneError::kAuthentication,
                 CloneError::kUnreachable, CloneError::kOther}) {
    EXPECT_EQ(ParseCloneError(CloneErrorName(e)), e);
  }
  EXPECT_FALSE(ParseSourceStatus("cloning"));
}

}  // namespace
}  // namespace rockpool
