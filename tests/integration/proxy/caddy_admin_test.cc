// Caddy's admin endpoint can replace the whole config (and with it every protection), so only
// root may reach it: a unix socket in a 0700 folder. Checked as user nobody with setpriv.
#include <sys/stat.h>

#include "caddy_fixture.h"

namespace rockpool::testing {
namespace {

constexpr char kSetpriv[] = "/usr/bin/setpriv";

class CaddyAdminTest : public CaddyTest {
 protected:
  std::string Socket() const { return admin_address_.substr(std::string("unix/").size()); }
  std::string State() const { return (dir_ / "state").string(); }
  int Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  }
  // curl against the admin socket, as nobody when `as_nobody`; "<http code> exit <code>".
  std::string Curl(bool as_nobody, const std::vector<std::string>& args,
                   const std::string& host = "Host;") {
    ProcessSpec spec;
    if (as_nobody) {
      spec.argv = {kSetpriv, "--reuid=65534", "--regid=65534", "--clear-groups"};
    }
    for (const char* a : {"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H"}) {
      spec.argv.push_back(a);
    }
    spec.argv.push_back(host);  // "Host;" sends an empty Host header
    spec.argv.push_back("--unix-socket");
    spec.argv.push_back(Socket());
    for (const auto& a : args) spec.argv.push_back(a);
    auto r = runner_.Run(spec);
    if (!r.ok()) return r.status().message();
    return r->output + " exit " + std::to_string(r->exit_code);
  }
  std::string ReadConfig(bool as_nobody) { return Curl(as_nobody, {"http://caddy/config/"}); }
  std::string LoadEmptyConfig(bool as_nobody) {
    return Curl(as_nobody,
                {"-H", "Content-Type: application/json", "--data",
                 R"({"admin":{"listen":")" + admin_address_ + R"("}})", "http://caddy/load"});
  }
};

TEST_F(CaddyAdminTest, TheAdminSocketIsPrivate) {
  EXPECT_EQ(Mode(State()), 0700);
  EXPECT_EQ(Mode(Socket()), 0600);
  auto running = proxy_->RunningConfig();
  ASSERT_TRUE(running.ok()) << running.status().message();
  EXPECT_EQ((*running)["admin"]["listen"], admin_address_);
  EXPECT_EQ((*running)["admin"]["config"]["persist"], false);
}

TEST_F(CaddyAdminTest, NobodyCanNeitherReadNorLoadAConfig) {
  if (!std::filesystem::exists(kSetpriv)) GTEST_SKIP() << "setpriv is not installed";
  // Let nobody walk down to the state folder, so only its own mode stands in the way.
  std::filesystem::permissions(dir_, std::filesystem::perms(0755));
  EXPECT_EQ(ReadConfig(/*as_nobody=*/false), "200 exit 0");  // the command itself works
  EXPECT_EQ(ReadConfig(/*as_nobody=*/true), "000 exit 7");   // 7: could not connect
  EXPECT_EQ(LoadEmptyConfig(/*as_nobody=*/true), "000 exit 7");
  EXPECT_TRUE(*proxy_->IsBootstrapped(config_));  // our config is still the one running
}

TEST_F(CaddyAdminTest, TheCheckCanFailWhenTheFolderAndSocketAreOpen) {
  if (!std::filesystem::exists(kSetpriv)) GTEST_SKIP() << "setpriv is not installed";
  std::filesystem::permissions(dir_, std::filesystem::perms(0755));
  chmod(State().c_str(), 0755);
  chmod(Socket().c_str(), 0777);
  EXPECT_EQ(ReadConfig(/*as_nobody=*/true), "200 exit 0");
  // EnsureRunning closes the folder again even though Caddy answers.
  ASSERT_TRUE(daemon_->EnsureRunning().ok());
  EXPECT_EQ(Mode(State()), 0700);
  EXPECT_EQ(ReadConfig(/*as_nobody=*/true), "000 exit 7");
}

TEST_F(CaddyAdminTest, AdminRequestsNeedAnEmptyHostOnTheSocket) {
  // What CaddyProxy relies on: Caddy 2.6 refuses any other Host on a unix socket.
  EXPECT_EQ(Curl(false, {"http://caddy/config/"}, "Host: localhost"), "403 exit 0");
  EXPECT_TRUE(proxy_->Ping().ok());
}

}  // namespace
}  // namespace rockpool::testing
