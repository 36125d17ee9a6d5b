// Caddy loses its config, or dies, under a running system: the control plane's reconciler
// puts the config back, the supervisor starts a Caddy that died, and the workspaces answer
// again within seconds.
#include <signal.h>

#include <nlohmann/json.hpp>

#include "e2e_support.h"
#include "proxy/caddy/caddy_daemon.h"
#include "proxy/caddy/caddy_proxy.h"
#include "sys/process_lock.h"

namespace rockpool::e2e {
namespace {

using std::chrono::seconds;

std::string CaddyDir() { return StateDir() + "/caddy"; }

// The Caddy serving the deployment's admin socket.
int CaddyPid() { return UnixSocketServerPid(CaddyDir() + "/admin.sock"); }

class CaddyRestartTest : public ControlPlaneTest {
 protected:
  void TearDown() override {
    // Whatever happened, leave a proxy that serves the system.
    if (IdeHealth("test") != 200) (void)RunCommand({kRockpool, "up"});
    ControlPlaneTest::TearDown();
  }

  // Seconds until workspace test answers through Caddy again, or a failure.
  void ExpectRestored(const char* after) {
    const auto t0 = Clock::now();
    const bool restored = WaitUntil([&] { return IdeHealth("test") == 200; }, seconds(30));
    const double took = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("[ measure ] workspace test answered again %.1f s after %s\n", took, after);
    ASSERT_TRUE(restored) << "not restored within 30 s after " << after << "\n" << ServeLogTail();
    EXPECT_EQ(Http(ControlUrl(), "GET", "/api/health", std::nullopt).status, 200);
    EXPECT_EQ(Http(ControlUrl(), "GET", "/api/workspaces", std::nullopt).status, 401)
        << "auth must come back with the config";
  }
};

TEST_F(CaddyRestartTest, AnEmptiedCaddyIsReconfiguredByTheControlPlane) {
  ASSERT_TRUE(WaitUntil([&] { return IdeHealth("test") == 200; }, seconds(30)))
      << "workspace test does not answer before the change";
  // Caddy keeps running but serves nothing: only its admin endpoint stays.
  CurlHttpClient admin(CaddyAdminEndpoint(CaddyAdminSocketAddress(CaddyDir())));
  nlohmann::json empty = {{"admin", {{"listen", CaddyAdminSocketAddress(CaddyDir())}}}};
  auto loaded = admin.Send({.method = "POST",
                            .target = "/load",
                            // An empty Host, as Caddy's admin socket wants.
                            .headers = {{"Host", ""}, {"Content-Type", "application/json"}},
                            .body = empty.dump()});
  ASSERT_TRUE(loaded.ok() && loaded->status == 200)
      << (loaded.ok() ? loaded->body : loaded.status().message());
  EXPECT_NE(IdeHealth("test"), 200) << "the workspace still answered with Caddy's config gone";
  ExpectRestored("Caddy's config was emptied");
}

TEST_F(CaddyRestartTest, ACaddyThatDiedIsStartedAgainWithItsRoutes) {
  ASSERT_TRUE(WaitUntil([&] { return IdeHealth("test") == 200; }, seconds(30)))
      << "workspace test does not answer before the crash";
  const int pid = CaddyPid();
  ASSERT_NE(pid, 0) << "nothing serves " << CaddyDir() << "/admin.sock";
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  ASSERT_TRUE(WaitUntil([&] { return kill(pid, 0) != 0; }, seconds(15)));
  ExpectRestored("Caddy was killed");
  EXPECT_NE(CaddyPid(), pid);
}

}  // namespace
}  // namespace rockpool::e2e
