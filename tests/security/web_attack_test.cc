// Attacks over HTTP from outside: open redirects, guessing the password, oversized bodies,
// framing; and a control plane that must refuse to start without sound credentials.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "security_support.h"
#include "store/temp_dir.h"

namespace rockpool::security {
namespace {

namespace fs = std::filesystem;

class WebAttackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    creds_ = e2e::CredentialsFromEnv();
    if (creds_.password.empty()) GTEST_SKIP() << "set ROCKPOOL_USERNAME and ROCKPOOL_PASSWORD";
    if (e2e::Http(e2e::ControlUrl(), "GET", "/api/health", std::nullopt).status != 200) {
      GTEST_SKIP() << "Rockpool is not up (rockpool up)";
    }
  }
  client::Credentials creds_;
};

// True when a browser following `location` (answered by 127.0.0.1) stays on this host.
bool StaysOnHost(const std::string& location) {
  if (location.starts_with("http://127.0.0.1:") || location.starts_with("https://127.0.0.1:")) {
    return true;
  }
  return location.starts_with("/") && !location.starts_with("//") && !location.starts_with("/\\\\");
}

TEST_F(WebAttackTest, RedirectsNeverLeaveTheHost) {
  const std::vector<std::string> targets = {
      "//evil.example%2F..%2Fworkspace%2Ftest", "//evil.example/%2E%2E/workspace/test",
      "/\\\\evil.example/../workspace/test",    "//evil.example/workspace/test",
      "/workspace/test/..//evil.example",       "/workspace//evil.example",
  };
  for (const std::string& base : {e2e::WorkspaceUrl(), e2e::ControlUrl()}) {
    for (const std::string& target : targets) {
      HttpResponse r = e2e::Http(base, "GET", target, creds_);
      SCOPED_TRACE(std::string(base) + target + " -> " + std::to_string(r.status));
      ASSERT_NE(r.status, 0) << r.body;
      const std::string location = r.Header("Location");
      if (location.empty()) continue;
      EXPECT_TRUE(StaysOnHost(location)) << "redirected to " << location;
      EXPECT_EQ(location.find("evil.example"), std::string::npos) << location;
    }
  }
}

TEST_F(WebAttackTest, ResponsesForbidSniffingAndFraming) {
  HttpResponse app = e2e::Http(e2e::ControlUrl(), "GET", "/app/", creds_);
  ASSERT_EQ(app.status, 200) << app.body;
  EXPECT_EQ(app.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(app.Header("Referrer-Policy").empty());
  EXPECT_EQ(app.Header("X-Frame-Options"), "DENY");
  EXPECT_NE(app.Header("Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  HttpResponse api = e2e::Http(e2e::ControlUrl(), "GET", "/api/workspaces", creds_);
  ASSERT_EQ(api.status, 200) << api.body;
  EXPECT_EQ(api.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(api.Header("Referrer-Policy").empty());
}

TEST_F(WebAttackTest, PasswordGuessingFromOneAddressIsThrottled) {
  // From an address of its own, so the throttle it provokes does not lock out 127.0.0.1.
  const std::string from = e2e::OwnLoopbackAddress();
  std::vector<std::string> argv = {"curl",        "-s", "-w", "%{http_code} ",
                                   "--interface", from, "-u", creds_.username + ":wrong"};
  for (int i = 0; i < 300; ++i) {  // one curl, one connection, 300 requests
    for (const char* arg : {"-o", "/dev/null"}) argv.push_back(arg);
    argv.push_back(std::string(e2e::ControlUrl()) + "/api/workspaces");
  }
  auto guessed = e2e::RunCommand(argv);
  ASSERT_TRUE(guessed.ok()) << guessed.status().message();
  std::istringstream codes(guessed->output);
  int unauthorized = 0, throttled = 0, other = 0;
  for (std::string code; codes >> code;) {
    int& count = code == "401" ? unauthorized : code == "429" ? throttled : other;
    ++count;
  }
  std::printf("[ measure ] 300 wrong passwords: %d x 401, %d x 429, %d other\n", unauthorized,
              throttled, other);
  EXPECT_GT(unauthorized, 0);
  EXPECT_LT(unauthorized, 50) << "the throttle let too many guesses through";
  EXPECT_GE(throttled, 250);
  EXPECT_EQ(other, 0);

  // Throttled: even the right password is refused from that address, with Retry-After...
  auto right = e2e::RunCommand({"curl", "-s", "-D", "-", "-o", "/dev/null", "--interface", from,
                                "-u", creds_.username + ":" + creds_.password,
                                std::string(e2e::ControlUrl()) + "/api/workspaces"});
  ASSERT_TRUE(right.ok());
  EXPECT_NE(right->output.find(" 429"), std::string::npos) << right->output;
  EXPECT_NE(right->output.find("Retry-After"), std::string::npos) << right->output;
  // ...while the user on another address is not slowed down.
  EXPECT_EQ(e2e::Http(e2e::ControlUrl(), "GET", "/api/workspaces", creds_).status, 200);
}

TEST_F(WebAttackTest, OversizedBodiesAreAlways413) {
  const std::string body(3 << 20, 'x');
  for (int i = 0; i < 20; ++i) {
    HttpResponse r = e2e::Http(e2e::ControlUrl(), "POST", "/api/workspaces", creds_, body,
                               {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 413) << "attempt " << i << ": " << r.body.substr(0, 200);
  }
  // The control plane is still fine.
  EXPECT_EQ(e2e::Http(e2e::ControlUrl(), "GET", "/api/workspaces", creds_).status, 200);
}

// `rockpool serve` and `rockpool up` on a state folder with `auth` as auth.json's content
// (nullopt: no file): both must refuse before starting anything.
void ExpectRefusesToStart(const std::optional<std::string>& auth) {
  TempDir tmp;
  const std::string state = tmp.File("state");
  fs::create_directories(state);
  if (auth) std::ofstream(state + "/auth.json") << *auth;
  const std::vector<std::string> env = {
      "ROCKPOOL_STATE_DIR=" + state, "ROCKPOOL_LOG_DIR=" + tmp.File("logs"),
      "ROCKPOOL_CONTROL_PORT=1",     "ROCKPOOL_WORKSPACE_PORT=1",
      "ROCKPOOL_USERNAME=",          "ROCKPOOL_PASSWORD="};
  std::vector<std::vector<std::string>> commands = {{e2e::kRockpool, "serve"}};
  if (auth) commands.push_back({e2e::kRockpool, "up"});  // up makes credentials when none exist
  for (const auto& argv : commands) {
    auto r = e2e::RunCommand(argv, env);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_NE(r->exit_code, 0) << argv[1] << " started: " << r->output;
    EXPECT_NE(r->output.find("auth.json"), std::string::npos) << argv[1] << ": " << r->output;
    EXPECT_FALSE(fs::exists(state + "/rockpool.db")) << argv[1] << " opened a store";
  }
}

TEST_F(WebAttackTest, ControlPlaneRefusesToStartWithoutCredentials) { ExpectRefusesToStart({}); }

TEST_F(WebAttackTest, ControlPlaneRefusesToStartWithCorruptCredentials) {
  ExpectRefusesToStart(std::string("{\"username\": \"admin\""));
  ExpectRefusesToStart(std::string("{\"username\": \"admin\", \"bcrypt\": \"plain-text\"}"));
  ExpectRefusesToStart(std::string("{\"username\": \"admin\", \"passwordHash\": \"plain-text\"}"));
}

}  // namespace
}  // namespace rockpool::security
