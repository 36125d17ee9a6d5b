#include "api/forwarded_uri.h"

#include <gtest/gtest.h>

namespace rockpool::api {
namespace {

std::optional<std::string> Name(std::string_view uri) {
  auto r = ForwardedWorkspace(uri);
  EXPECT_TRUE(r.ok()) << uri << ": " << r.status().ToString();
  return r.ok() ? *r : std::nullopt;
}

TEST(ForwardedWorkspaceTest, NamesTheWorkspaceOfAnIdeOrPortPath) {
  EXPECT_EQ(Name("/workspace/alpha/"), "alpha");
  EXPECT_EQ(Name("/workspace/alpha"), "alpha");
  EXPECT_EQ(Name("/workspace/alpha/port/3000/api?x=1"), "alpha");
  EXPECT_EQ(Name("/workspace/a-1/stable/static/out.js?path=%2Fhome%2Fx"), "a-1");
  EXPECT_EQ(Name("/app/"), std::nullopt);
  EXPECT_EQ(Name("/workspace/"), std::nullopt);
  EXPECT_EQ(Name("/workspace/Alpha/"), std::nullopt);  // no such name can exist
  EXPECT_EQ(Name("/workspaces/alpha/"), std::nullopt);
}

// The proxy routes by the decoded path with doubled slashes merged: so must the check.
TEST(ForwardedWorkspaceTest, ReadsTheNameAsTheProxyWillRouteIt) {
  EXPECT_EQ(Name("//workspace/alpha/"), "alpha");
  EXPECT_EQ(Name("/workspace//alpha/x"), "alpha");
  EXPECT_EQ(Name("///workspace///alpha///port/3000/"), "alpha");
  EXPECT_EQ(Name("/workspace/al%70ha/"), "alpha");
  EXPECT_EQ(Name("/workspace/a%2Db/"), "a-b");
  EXPECT_EQ(Name("/%77orkspace/alpha/"), "alpha");
  EXPECT_EQ(Name("/workspace/alpha%3F/"), std::nullopt);  // no workspace route matches it
}

TEST(ForwardedWorkspaceTest, RefusesPathsAProxyMightResolveToAnotherWorkspace) {
  for (const char* uri :
       {"/workspace/mine/../theirs/", "/workspace/mine/%2e%2e/theirs/", "/workspace/mine/%2E./x",
        "/workspace/mine/.%2e/theirs", "/workspace/mine/./x", "/workspace/mine/..",
        "/workspace/mine%2f..%2ftheirs/", "/workspace/mine/..\\theirs/", "/app/../workspace/x/",
        "/workspace/mine/%zz/", "/workspace/mine%00/", "/workspace/mine/%5C..%5Ctheirs/"}) {
    EXPECT_EQ(ForwardedWorkspace(uri).status().code(), Code::kInvalidArgument) << uri;
  }
}

}  // namespace
}  // namespace rockpool::api
