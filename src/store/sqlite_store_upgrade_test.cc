// Upgrading from the previous release: testdata/previous_release.sql is a store made by every
// migration but the newest, with data (see testdata/make_previous_release.sh). Opening it must
// migrate it and keep every workspace, port and job as the store API read them before.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "store/sqlite_migrations.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"

namespace rockpool {
namespace {

constexpr char kAlpha[] = "11111111-1111-4111-8111-111111111111";
constexpr char kBeta[] = "22222222-2222-4222-8222-222222222222";
constexpr char kGamma[] = "33333333-3333-4333-8333-333333333333";
constexpr char kDelta[] = "44444444-4444-4444-8444-444444444444";

TimePoint Millis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

class UpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream in(std::string(ROCKPOOL_STORE_TESTDATA) + "/previous_release.sql");
    ASSERT_TRUE(in) << "missing testdata/previous_release.sql";
    std::stringstream sql;
    sql << in.rdbuf();
    auto conn = sqlite::Connection::Open(path_);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->Exec(sql.str(), "load the previous release's store").ok());
    options_.default_limits = {.cpus = 2.5, .memory_mib = 3072, .processes = 512, .disk_gib = 7};
    auto store = SqliteStore::Open(path_, clock_, options_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  TempDir dir_;
  std::string path_ = dir_.File("store.db");
  FakeClock clock_;
  StoreOptions options_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(UpgradeTest, TheDumpIsOneMigrationBehind) {
  // If this fails a migration was added: regenerate the dump (see its generator) so the test
  // keeps covering the step from the release before.
  std::ifstream in(std::string(ROCKPOOL_STORE_TESTDATA) + "/previous_release.sql");
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "-- A Rockpool store at schema version " +
                       std::to_string(SqliteStore::SchemaVersion() - 1) +
                       ", the previous release.");
  auto applied = store_->AppliedSchemaVersion();
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(*applied, SqliteStore::SchemaVersion());
}

TEST_F(UpgradeTest, EveryWorkspaceKeepsItsFields) {
  auto all = store_->workspaces().ListAll();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 4u);
  auto alpha = store_->workspaces().Get(kAlpha);
  ASSERT_TRUE(alpha.ok());
  EXPECT_EQ(alpha->name, "alpha");
  EXPECT_EQ(alpha->status, WorkspaceStatus::kRunning);
  EXPECT_EQ(alpha->image, "rockpool-workspace");
  EXPECT_EQ(alpha->status_reason, std::nullopt);
  EXPECT_EQ(alpha->created_at, "2026-01-01T10:00:00.000Z");
  EXPECT_EQ(alpha->updated_at, "2026-01-01T10:00:05.000Z");
  // Workspaces from before limits were kept read as the deployment's defaults.
  EXPECT_EQ(alpha->limits, options_.default_limits);

  auto gamma = store_->workspaces().GetByName("gamma-9");
  ASSERT_TRUE(gamma.ok());
  EXPECT_EQ(gamma->id, kGamma);
  EXPECT_EQ(gamma->status, WorkspaceStatus::kError);
  EXPECT_EQ(gamma->image, "custom-image");
  EXPECT_EQ(gamma->status_reason, "incus: start instance rp-gamma-9: 500 boom");
  EXPECT_EQ(store_->workspaces().Get(kBeta)->status, WorkspaceStatus::kStopped);
  EXPECT_EQ(store_->workspaces().Get(kDelta)->name, "4delta");
  auto counts = store_->workspaces().CountByStatus();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[WorkspaceStatus::kCreating], 1);

  // Pages walk them in creation order, as before.
  auto page = store_->workspaces().List(3, std::nullopt, std::nullopt);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].name, "alpha");
  ASSERT_TRUE(page->next_cursor.has_value());
  auto rest = store_->workspaces().List(3, page->next_cursor, std::nullopt);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].name, "4delta");
}

TEST_F(UpgradeTest, EveryPortIsKept) {
  auto alpha = store_->ports().List(kAlpha);
  ASSERT_TRUE(alpha.ok());
  ASSERT_EQ(alpha->size(), 2u);
  EXPECT_EQ((*alpha)[0].port, 3000);
  EXPECT_EQ((*alpha)[0].label, "web");
  EXPECT_EQ((*alpha)[1].port, 8888);
  EXPECT_EQ((*alpha)[1].label, std::nullopt);
  // Ports from before the pending state are active: they were all set up.
  for (const Port& port : *alpha) EXPECT_EQ(port.state, PortState::kActive) << port.port;
  auto beta = store_->ports().List(kBeta);
  ASSERT_TRUE(beta.ok());
  ASSERT_EQ(beta->size(), 1u);
  EXPECT_EQ((*beta)[0].port, 65535);
  EXPECT_EQ((*beta)[0].created_at, "2026-01-01T10:07:00.000Z");
  EXPECT_TRUE(store_->ports().List(kGamma)->empty());
  // Cascade delete still holds after the upgrade.
  ASSERT_TRUE(store_->workspaces().Delete(kAlpha).ok());
  EXPECT_TRUE(store_->ports().List(kAlpha)->empty());
}

TEST_F(UpgradeTest, EveryJobIsKept) {
  auto failed = store_->jobs().Get(3);
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->workspace_id, kGamma);
  EXPECT_EQ(failed->kind, JobKind::kStart);
  EXPECT_EQ(failed->state, JobState::kFailed);
  EXPECT_EQ(failed->attempts, 5);
  EXPECT_EQ(failed->last_error, "incus: start instance rp-gamma-9: 500 boom");

  auto running = store_->jobs().Get(4);
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running->state, JobState::kRunning);
  EXPECT_EQ(running->lease_owner, "worker-1");
  EXPECT_EQ(running->lease_until, Millis(1767261840000));
  EXPECT_EQ(running->run_after, Millis(1767261780000));
  EXPECT_EQ(running->created_at, Millis(1767261780000));

  auto unfinished = store_->jobs().ListUnfinished();
  ASSERT_TRUE(unfinished.ok());
  ASSERT_EQ(unfinished->size(), 2u);
  auto delta = store_->jobs().ListForWorkspace(kDelta);
  ASSERT_TRUE(delta.ok());
  ASSERT_EQ(delta->size(), 2u);
  EXPECT_EQ((*delta)[1].kind, JobKind::kDelete);
  EXPECT_EQ((*delta)[1].state, JobState::kQueued);
  EXPECT_EQ(store_->jobs().Get(1)->state, JobState::kDone);
  EXPECT_EQ(store_->jobs().Get(2)->kind, JobKind::kStop);

  // The queued job can still be claimed once its time has come.
  clock_.Advance(std::chrono::hours(24 * 365));
  auto claimed = store_->jobs().Claim("worker-2", std::chrono::seconds(30));
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  ASSERT_TRUE(claimed->has_value());
}

TEST_F(UpgradeTest, TheRevisionCounterStillMoves) {
  auto before = store_->workspaces().Revision();
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(
      store_->workspaces().UpdateStatus(kBeta, WorkspaceStatus::kStarting, std::nullopt).ok());
  auto after = store_->workspaces().Revision();
  ASSERT_TRUE(after.ok());
  EXPECT_GT(*after, *before);
}

}  // namespace
}  // namespace rockpool
