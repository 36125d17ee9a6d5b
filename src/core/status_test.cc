#include "core/status.h"

#include <gtest/gtest.h>

#include "core/names.h"
#include "core/reverter.h"

namespace rockpool {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd number " + std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  RP_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(StatusTest, WithContextPrefixesMessageAndKeepsCode) {
  Status s = Status::NotFound("no such instance").WithContext("incus: start instance ws-a");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "incus: start instance ws-a: no such instance");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(StatusTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd number 3");
}

TEST(NamesTest, AcceptsTheDocumentedShapes) {
  for (const std::string& n :
       std::vector<std::string>{"abc", "test", "my-project-2", "0ab", std::string(63, 'a'),
                                "0f8e6a7c-1b2d-4e3f-9a8b-7c6d5e4f3a2bx"}) {
    EXPECT_TRUE(ValidateWorkspaceName(n).ok()) << n;
  }
}

TEST(NamesTest, RejectsWithAReasonAndTheRule) {
  struct Case {
    std::string name;
    std::string reason;
  };
  for (const Case& c : std::vector<Case>{
           {"ab", "too short"},
           {std::string(64, 'a'), "too long (64 characters)"},
           {"Test", "uppercase letters are not allowed"},
           {"a_b", "character '_' is not allowed"},
           {"a/b", "character '/' is not allowed"},
           {"-abc", "must not start or end with a hyphen"},
           {"abc-", "must not start or end with a hyphen"},
           {"a b", "character ' ' is not allowed"},
           {"0f8e6a7c-1b2d-4e3f-9a8b-7c6d5e4f3a2b", "it has the shape of a workspace id"}}) {
    Status s = ValidateWorkspaceName(c.name);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << c.name;
    EXPECT_NE(s.message().find(c.reason), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("lowercase letters, digits and hyphens"), std::string::npos);
  }
}

TEST(NamesTest, PortsOutsideTheRangeAreRejected) {
  EXPECT_TRUE(ValidatePort(1024).ok());
  EXPECT_TRUE(ValidatePort(65535).ok());
  EXPECT_EQ(ValidatePort(80).message(), "invalid port 80: use a port from 1024 to 65535");
  EXPECT_FALSE(ValidatePort(65536).ok());
}

TEST(ReverterTest, UndoesFinishedStepsInReverseUnlessSucceeded) {
  std::vector<int> undone;
  {
    Reverter r;
    r.Add([&] { undone.push_back(1); });
    r.Add([&] { undone.push_back(2); });
  }
  EXPECT_EQ(undone, (std::vector<int>{2, 1}));
  undone.clear();
  {
    Reverter r;
    r.Add([&] { undone.push_back(1); });
    r.Success();
  }
  EXPECT_TRUE(undone.empty());
}

}  // namespace
}  // namespace rockpool
