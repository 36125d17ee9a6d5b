#include "api/sign_in.h"

#include <gtest/gtest.h>

namespace rockpool::api {
namespace {

SignInRequest Navigation(std::string_view uri, std::string_view host, int sign_in_port) {
  SignInRequest r;
  r.method = "GET";
  r.uri = uri;
  r.host = host;
  r.proto = "http";
  r.sec_fetch_mode = "navigate";
  r.sign_in_port = sign_in_port;
  return r;
}

TEST(SignInTest, OnlyTheSignInPageAndTheAssetsArePublic) {
  EXPECT_TRUE(IsPublicDashboardPath("/app/login"));
  EXPECT_TRUE(IsPublicDashboardPath("/app/assets/index-3f2a.js"));
  EXPECT_FALSE(IsPublicDashboardPath("/app/login/"));
  EXPECT_FALSE(IsPublicDashboardPath("/app/workspaces"));
  EXPECT_FALSE(IsPublicDashboardPath("/app/assets/"));
  EXPECT_FALSE(IsPublicDashboardPath("/app/assets/../workspaces"));
  EXPECT_FALSE(IsPublicDashboardPath("/app/assets/%2e%2e/settings"));
  EXPECT_FALSE(IsPublicDashboardPath("/app/assets/a/b.js"));
  EXPECT_FALSE(IsPublicDashboardPath("/api/me"));
  EXPECT_FALSE(IsPublicDashboardPath("/workspace/a/"));
}

TEST(SignInTest, ADashboardNavigationGoesToTheSignInPageOnItsOwnPort) {
  EXPECT_EQ(SignInLocation(Navigation("/app/workspaces?owner=ana", "localhost:8080", 8080)),
            "/app/login?next=/app/workspaces%3Fowner%3Dana");
  EXPECT_EQ(SignInLocation(Navigation("/app/settings", "anything", 0)),
            "/app/login?next=/app/settings");
}

TEST(SignInTest, AWorkspaceNavigationGoesToTheDashboardPortOfTheSameHost) {
  EXPECT_EQ(SignInLocation(Navigation("/workspace/a/?folder=/x", "devbox:8081", 8080)),
            "http://devbox:8080/app/login?next=http%3A//devbox%3A8081/workspace/a/"
            "%3Ffolder%3D/x");
  SignInRequest https = Navigation("/workspace/a/", "[::1]:8443", 8080);
  https.proto = "https";
  EXPECT_EQ(SignInLocation(https),
            "https://[::1]:8080/app/login?next=https%3A//%5B%3A%3A1%5D%3A8443/workspace/a/");
}

TEST(SignInTest, OtherRequestsGetTheRefusalItself) {
  SignInRequest fetch = Navigation("/app/workspaces", "h:8080", 8080);
  fetch.sec_fetch_mode = "cors";
  EXPECT_EQ(SignInLocation(fetch), std::nullopt);
  SignInRequest socket = Navigation("/workspace/a/stable", "h:8081", 8080);
  socket.sec_fetch_mode = "websocket";
  EXPECT_EQ(SignInLocation(socket), std::nullopt);
  SignInRequest post = Navigation("/app/workspaces", "h:8080", 8080);
  post.method = "POST";
  EXPECT_EQ(SignInLocation(post), std::nullopt);
  SignInRequest script = Navigation("/app/workspaces", "h:8080", 8080);
  script.sec_fetch_mode = "";
  EXPECT_EQ(SignInLocation(script), std::nullopt);  // curl: no Accept: text/html
  script.accept = "text/html,*/*";
  EXPECT_TRUE(SignInLocation(script));
  EXPECT_EQ(SignInLocation(Navigation("/api/me", "h:8080", 8080)), std::nullopt);
  EXPECT_EQ(SignInLocation(Navigation("//evil.example/app/", "h:8080", 8080)), std::nullopt);
  EXPECT_EQ(SignInLocation(Navigation("/workspace/a/", "evil\r\nX: y", 8080)), std::nullopt);
  EXPECT_EQ(SignInLocation(Navigation("/workspace/a/", "user@evil:8081", 8080)), std::nullopt);
}

}  // namespace
}  // namespace rockpool::api
