#include "worker/control_plane.h"

#include "proxy/fake/fake_proxy.h"
#include "worker/worker_test_fixture.h"

namespace rockpool {
namespace {

class ControlPlaneTest : public ::testing::Test {
 protected:
  void Open() {
    auto store = SqliteStore::Open(dir_.File("rockpool.db"), clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    cp_ = std::make_unique<ControlPlane>(std::move(store).value(), runtime_, proxy_, ProxyConfig{},
                                         clock_, options_);
  }
  bool BecomesRunning(const std::string& name) {
    return Eventually([&] { return cp_->service().Get(name)->status == WorkspaceStatus::kRunning; },
                      std::chrono::seconds(5));
  }

  TempDir dir_;
  SystemClock clock_;
  FakeRuntime runtime_;
  FakeProxy proxy_;
  ControlPlaneOptions options_;
  std::unique_ptr<ControlPlane> cp_;
  // A second look at the plane's database.
  Store& store() {
    if (!reader_) reader_ = std::move(SqliteStore::Open(dir_.File("rockpool.db"), clock_)).value();
    return *reader_;
  }
  std::unique_ptr<SqliteStore> reader_;
};

TEST_F(ControlPlaneTest, WiresServiceWorkerAndReconcilerOnOneDatabase) {
  options_.worker.idle_delay = std::chrono::milliseconds(5);
  ASSERT_NO_FATAL_FAILURE(Open());
  ControlPlane& cp = *cp_;
  ASSERT_TRUE(cp.service().Create({"test", ""}).ok());
  cp.StartBackground();
  EXPECT_TRUE(BecomesRunning("test"));
  EXPECT_TRUE(Eventually([&] { return proxy_.bootstrap_calls().size() == 1; }));
  cp.Stop();
}

TEST_F(ControlPlaneTest, AJobQueuedThroughTheServiceStartsWithoutWaitingForAPoll) {
  options_.worker.idle_delay = std::chrono::hours(1);
  int also_called = 0;
  options_.service.on_job_queued = [&] { ++also_called; };
  ASSERT_NO_FATAL_FAILURE(Open());
  ControlPlane& cp = *cp_;
  cp.StartBackground();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the loops are idle now
  ASSERT_TRUE(cp.service().Create({"test", ""}).ok());
  EXPECT_TRUE(BecomesRunning("test"));
  EXPECT_EQ(also_called, 1);
  cp.Stop();
}

// A `rockpool worker` (no activity source) may reconcile but never decides idle stops: only a
// process that sees activity takes that lease.
TEST_F(ControlPlaneTest, OnlyAProcessThatSeesActivityLeadsIdleStops) {
  ASSERT_NO_FATAL_FAILURE(Open());
  cp_->StartBackground();
  auto reconciler = store().leases().Get(kReconcilerLease);
  ASSERT_TRUE(reconciler.ok() && reconciler->has_value());
  EXPECT_EQ(*store().leases().Get(kIdleStopsLease), std::nullopt);
  cp_->Stop();

  class NoActivity : public ActivitySource {
   public:
    std::map<std::string, WorkspaceActivity> Observe() override { return {}; }
  } activity;
  options_.idle.activity = &activity;
  ASSERT_NO_FATAL_FAILURE(Open());
  cp_->StartBackground();
  auto idle = store().leases().Get(kIdleStopsLease);
  ASSERT_TRUE(idle.ok() && idle->has_value());
  cp_->Stop();
  EXPECT_EQ(*store().leases().Get(kIdleStopsLease), std::nullopt);  // given up at the stop
  cp_.reset();                                                      // before `activity` goes
}

}  // namespace
}  // namespace rockpool
