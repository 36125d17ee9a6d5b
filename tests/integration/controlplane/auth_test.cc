// The control plane's authentication guards every protected path on both Caddy servers; only
// /api/health is open.
#include "e2e_support.h"

namespace rockpool::e2e {
namespace {

struct Target {
  std::string base;
  std::string path;
};

class AuthTest : public ControlPlaneTest {
 protected:
  // "test" is the workspace `rockpool up` guarantees.
  std::vector<Target> Protected() const {
    return {{ControlUrl(), "/api/workspaces"},
            {ControlUrl(), "/app/workspaces"},
            {WorkspaceUrl(), "/workspace/test/"},
            {WorkspaceUrl(), "/workspace/test/port/3000/"}};
  }
};

TEST_F(AuthTest, EveryProtectedPathAnswers401WithoutCredentials) {
  for (const auto& t : Protected()) {
    HttpResponse r = Http(t.base, "GET", t.path, std::nullopt);
    EXPECT_EQ(r.status, 401) << t.base << t.path << ": " << r.body;
  }
}

TEST_F(AuthTest, EveryProtectedPathAnswers401WithAWrongPassword) {
  const client::Credentials wrong{creds().username, creds().password + "-wrong"};
  // From an address of this run's own: these failures count against it, not the suite's.
  const std::string from = OwnLoopbackAddress();
  for (const auto& t : Protected()) {
    HttpResponse r = Http(t.base, "GET", t.path, wrong, "", {}, from);
    EXPECT_EQ(r.status, 401) << t.base << t.path << ": " << r.body;
  }
}

TEST_F(AuthTest, TheRightCredentialsAreLetThrough) {
  EXPECT_EQ(Http(ControlUrl(), "GET", "/api/workspaces", creds()).status, 200);
  EXPECT_EQ(Http(WorkspaceUrl(), "GET", "/workspace/test/healthz", creds()).status, 200);
}

TEST_F(AuthTest, HealthAnswersWithoutCredentials) {
  HttpResponse r = Http(ControlUrl(), "GET", "/api/health", std::nullopt);
  EXPECT_EQ(r.status, 200) << r.body;
}

}  // namespace
}  // namespace rockpool::e2e
