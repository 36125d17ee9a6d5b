// Caddy stopped and started again empty under a running system: the control plane's
// reconciler puts the config back, and the workspaces answer again within seconds.
#include <signal.h>

#include <fstream>

#include "e2e_support.h"
#include "proxy/caddy/caddy_daemon.h"
#include "proxy/caddy/caddy_proxy.h"

namespace rockpool::e2e {
namespace {

using std::chrono::seconds;

std::string CaddyDir() { return std::string(StateDir()) + "/caddy"; }

std::string AdminAddress() { return CaddyAdminSocketAddress(CaddyDir()); }

int CaddyPid() { return LivePid(CaddyDir() + "/caddy.pid", "caddy"); }

class CaddyRestartTest : public ControlPlaneTest {
 protected:
  void TearDown() override {
    // Whatever happened, leave a proxy that serves the system.
    if (IdeHealth("test") != 200) (void)RunCommand({kRockpool, "up"});
    ControlPlaneTest::TearDown();
  }
};

TEST_F(CaddyRestartTest, AnEmptyCaddyIsReconfiguredByTheControlPlane) {
  ASSERT_TRUE(WaitUntil([&] { return IdeHealth("test") == 200; }, seconds(30)))
      << "workspace test does not answer before the restart";
  const int pid = CaddyPid();
  ASSERT_NE(pid, 0) << "no live caddy in " << CaddyDir() << "/caddy.pid";
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  ASSERT_TRUE(WaitUntil([&] { return kill(pid, 0) != 0; }, seconds(15)));
  EXPECT_EQ(IdeHealth("test"), 0) << "something still listens on the workspace port";

  // Start Caddy the way `rockpool up` does, but without giving it any config.
  RealProcessRunner runner;
  CurlHttpClient admin_http(CaddyAdminEndpoint(AdminAddress()));
  CaddyProxy admin(admin_http, AdminAddress());
  CaddyDaemon daemon(runner, admin,
                     {.binary = "caddy", .state_dir = CaddyDir(), .admin_address = AdminAddress()});
  Status started = daemon.EnsureRunning();
  ASSERT_TRUE(started.ok()) << started.message();
  const auto t0 = Clock::now();
  auto config = admin.RunningConfig();
  ASSERT_TRUE(config.ok()) << config.status().message();
  const bool empty_at_start = config->is_null() || !config->contains("apps");
  std::printf("[ measure ] caddy pid %d restarted; config empty when first read: %s\n", CaddyPid(),
              empty_at_start ? "yes" : "no (already restored)");

  const bool restored = WaitUntil([&] { return IdeHealth("test") == 200; }, seconds(30));
  const double took = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("[ measure ] workspace test answered again %.1f s after caddy started\n", took);
  ASSERT_TRUE(restored) << "not restored within 30 s\n" << ServeLogTail();
  EXPECT_EQ(Http(ControlUrl(), "GET", "/api/health", std::nullopt).status, 200);
  EXPECT_EQ(Http(ControlUrl(), "GET", "/api/workspaces", std::nullopt).status, 401)
      << "auth must come back with the config";
}

}  // namespace
}  // namespace rockpool::e2e
