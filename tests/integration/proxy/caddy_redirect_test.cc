// No open redirects: every Location Caddy writes is a path on the same host, or the workspace
// port of the request's host; a request it cannot redirect safely gets 404. Targets are sent
// byte for byte (libcurl would resolve dot segments first).
#include "caddy_fixture.h"
#include "raw_client.h"

namespace rockpool::testing {
namespace {

// Same-host path: starts with one "/" followed by neither "/" nor "\".
bool IsSameHostPath(const std::string& location) {
  return location.size() >= 1 && location[0] == '/' &&
         (location.size() == 1 || (location[1] != '/' && location[1] != '\\'));
}

class CaddyRedirectTest : public CaddyTest {
 protected:
  // Fails unless `target` got a 404, or a redirect to a same-host path (or, with
  // `workspace_origin`, to http://127.0.0.1:<workspace port>/workspace/...).
  void ExpectNoOpenRedirect(int port, const std::string& target, bool workspace_origin = false,
                            const HeaderList& headers = {}) {
    RawResponse r = RawRequest(port, "GET", target, headers);
    ASSERT_NE(r.status, 0) << target << ": " << r.error;
    std::string location = r.Header("Location");
    if (r.status >= 300 && r.status < 400) {
      std::string origin = "http://127.0.0.1:" + std::to_string(config_.workspace_port) + "/";
      bool ok = IsSameHostPath(location) ||
                (workspace_origin && location.rfind(origin + "workspace/", 0) == 0);
      EXPECT_TRUE(ok) << target << " -> " << r.status << " Location: " << location;
    } else {
      EXPECT_EQ(location, "") << target;
      EXPECT_NE(r.status, 200) << target;  // nothing here is content
    }
  }
};

TEST_F(CaddyRedirectTest, TheReportedAttackGets404) {
  RawResponse r =
      RawRequest(config_.workspace_port, "GET", "//evil.example%2F..%2Fworkspace%2Ftest");
  EXPECT_EQ(r.status, 404) << r.error;
  EXPECT_EQ(r.Header("Location"), "");
  RawResponse sanity = RawRequest(config_.workspace_port, "GET", "/workspace/test");
  EXPECT_EQ(sanity.status, 308);
  EXPECT_EQ(sanity.Header("Location"), "/workspace/test/");
}

TEST_F(CaddyRedirectTest, VariantsOnTheWorkspaceServer) {
  for (const char* target : {
           "//evil.example%2F..%2Fworkspace%2Ftest",
           "//evil.example/../workspace/test",
           "//evil.example/%2e%2e/workspace/test",
           "//evil.example/%2E%2E%2Fworkspace%2Ftest",
           "///evil.example/..//workspace/test",
           "//evil.example//..//..//workspace/test",
           "/\\evil.example/../workspace/test",
           "/%5Cevil.example/../workspace/test",
           "/%5C%5Cevil.example%2F..%2Fworkspace%2Ftest",
           "//evil.example/workspace/test",
           "//evil.example%2Fworkspace%2Ftest",
           "/workspace/test/..%2F..%2F%2Fevil.example",
           "/workspace/test/../../evil.example",
           "/workspace/./test",
           "/workspace/test/.",
           "/workspace//evil.example",
           "/workspace/test%2F%2Fevil.example",
           "/workspace%2Ftest",
           "/workspace/test/port/3000%2F..%2F..%2F%2Fevil.example",
           "/workspace/test?next=//evil.example",
           "/workspace/test/port/3000?//evil.example",
           "/workspace/test\\evil.example",
           "/workspace/Test",
       }) {
    ExpectNoOpenRedirect(config_.workspace_port, target);
  }
}

TEST_F(CaddyRedirectTest, VariantsOnTheControlServer) {
  for (const char* target : {
           "//evil.example%2F..%2Fworkspace%2Ftest",
           "//evil.example/../workspace/test",
           "//evil.example/%2e%2e/app",
           "//evil.example%2F..%2Fapp",
           "/\\evil.example/../app",
           "/%5Cevil.example%2F..%2Fapp",
           "/app/..%2F..%2F%2Fevil.example",
           "/app/../workspace/test",
           "/workspace/test/../../evil.example",
           "/workspace/test\\evil.example",
           "/workspace/test/%2F%2Fevil.example",
           "/workspace/test//evil.example",
           "/workspace/test?x=//evil.example",
           "//evil.example/",
           "/.//evil.example",
       }) {
    ExpectNoOpenRedirect(config_.control_port, target, /*workspace_origin=*/true);
  }
}

TEST_F(CaddyRedirectTest, AForgedHostCannotAddUserinfoOrAPath) {
  for (const char* host : {"127.0.0.1@evil.example", "evil.example/x", "evil.example\\x"}) {
    RawResponse r = RawRequest(config_.control_port, "GET", "/workspace/test/", {{"Host", host}});
    EXPECT_EQ(r.Header("Location"), "") << host << " -> " << r.status;
  }
}

TEST_F(CaddyRedirectTest, LegitimateRedirectsStillWork) {
  RawResponse r = RawRequest(config_.workspace_port, "GET", "/workspace/alpha?folder=/home/dev");
  EXPECT_EQ(r.status, 308);
  EXPECT_EQ(r.Header("Location"), "/workspace/alpha/?folder=/home/dev");
  r = RawRequest(config_.workspace_port, "GET", "/workspace/alpha/port/3000");
  EXPECT_EQ(r.Header("Location"), "/workspace/alpha/port/3000/");
  r = RawRequest(config_.control_port, "GET", "/workspace/alpha/?folder=/src");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"), "http://127.0.0.1:" + std::to_string(config_.workspace_port) +
                                      "/workspace/alpha/?folder=/src");
  r = RawRequest(config_.control_port, "GET", "/workspace/alpha/a%20b/c", {{"Host", "rock.lan"}});
  EXPECT_EQ(r.Header("Location"), "http://rock.lan:" + std::to_string(config_.workspace_port) +
                                      "/workspace/alpha/a%20b/c");
  r = RawRequest(config_.control_port, "GET", "/");
  EXPECT_EQ(r.Header("Location"), "/app/workspaces");
  r = RawRequest(config_.control_port, "GET", "/app");
  EXPECT_EQ(r.Header("Location"), "/app/");
}

TEST_F(CaddyRedirectTest, UncleanPathsNeverReachAWorkspace) {
  for (const char* target : {"/workspace/beta/../alpha/", "/workspace/beta/%2e%2e/alpha/",
                             "/workspace/alpha/./x", "/workspace/alpha/x\\y"}) {
    RawResponse r = RawRequest(config_.workspace_port, "GET", target);
    EXPECT_EQ(r.status, 404) << target;
  }
  EXPECT_EQ(alpha_->requests() + beta_->requests(), 0);
  EXPECT_TRUE(control_->Recorded().empty());  // refused before anything else
}

}  // namespace
}  // namespace rockpool::testing
