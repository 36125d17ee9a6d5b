#include "worker/control_plane.h"

#include "proxy/fake/fake_proxy.h"
#include "worker/worker_test_fixture.h"

namespace rockpool {
namespace {

TEST(ControlPlane, WiresServiceWorkerAndReconcilerOnOneDatabase) {
  TempDir dir;
  SystemClock clock;
  FakeRuntime runtime;
  FakeProxy proxy;
  ControlPlaneOptions options;
  options.database_path = dir.File("rockpool.db");
  options.worker.idle_delay = std::chrono::milliseconds(5);
  auto cp = ControlPlane::Open(options, runtime, proxy, ProxyConfig{}, clock);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  ASSERT_TRUE((*cp)->service().Create({"test", ""}).ok());
  (*cp)->StartBackground();
  EXPECT_TRUE(Eventually(
      [&] { return (*cp)->service().Get("test")->status == WorkspaceStatus::kRunning; }));
  EXPECT_TRUE(Eventually([&] { return proxy.bootstrap_calls().size() == 1; }));
  (*cp)->Stop();
}

TEST(ControlPlane, AJobQueuedThroughTheServiceStartsWithoutWaitingForAPoll) {
  TempDir dir;
  SystemClock clock;
  FakeRuntime runtime;
  FakeProxy proxy;
  ControlPlaneOptions options;
  options.database_path = dir.File("rockpool.db");
  options.worker.idle_delay = std::chrono::hours(1);
  int also_called = 0;
  options.service.on_job_queued = [&] { ++also_called; };
  auto cp = ControlPlane::Open(options, runtime, proxy, ProxyConfig{}, clock);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  (*cp)->StartBackground();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the loops are idle now
  ASSERT_TRUE((*cp)->service().Create({"test", ""}).ok());
  EXPECT_TRUE(
      Eventually([&] { return (*cp)->service().Get("test")->status == WorkspaceStatus::kRunning; },
                 std::chrono::seconds(5)));
  EXPECT_EQ(also_called, 1);
  (*cp)->Stop();
}

}  // namespace
}  // namespace rockpool
