#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "store/sqlite_migrations.h"
#include "store/temp_dir.h"
#include "store/testing/test_database.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

using std::chrono::milliseconds;

// The store's behaviour, on every engine.
class StoreTest : public ::testing::TestWithParam<testing::Engine> {
 protected:
  StoreTest() : db_(GetParam()) {}
  void SetUp() override { store_ = Open(); }

  // Another store on the same database: another process's view.
  std::unique_ptr<SqlStore> Open(StoreOptions options = {}) { return db_.Open(clock_, options); }
  int SchemaVersion() const {
    return GetParam() == testing::Engine::kSqlite ? SqliteStore::SchemaVersion()
                                                  : PgStore::SchemaVersion();
  }

  Workspace Insert(const std::string& name, WorkspaceStatus status = WorkspaceStatus::kCreating) {
    Workspace ws{NewUuidV4(), name, status, "rockpool-workspace", std::nullopt, "", ""};
    auto stored = store_->workspaces().Insert(ws);
    EXPECT_TRUE(stored.ok()) << stored.status().ToString();
    return stored.ok() ? *stored : ws;
  }

  FakeClock clock_;
  testing::TestDatabase db_;
  std::unique_ptr<SqlStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, testing::kEngines, testing::EngineName);

// What only the SQLite store has: databases left by earlier releases.
class SqliteStoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  FakeClock clock_;
};

TEST_P(StoreTest, OpenAppliesEveryMigrationOnce) {
  EXPECT_EQ(*store_->AppliedSchemaVersion(), SchemaVersion());
  Insert("kept");
  store_ = Open();  // a second open finds the schema current and keeps the data
  EXPECT_EQ(*store_->AppliedSchemaVersion(), SchemaVersion());
  EXPECT_TRUE(store_->workspaces().GetByName("kept").ok());
}

TEST_P(StoreTest, InsertStampsTimesAndReadsBackByIdAndName) {
  Workspace ws = Insert("alpha");
  EXPECT_EQ(ws.created_at, FormatTime(clock_.Now()));
  EXPECT_EQ(ws.updated_at, ws.created_at);
  auto by_id = store_->workspaces().Get(ws.id);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->name, "alpha");
  EXPECT_EQ(by_id->image, "rockpool-workspace");
  EXPECT_EQ(by_id->status, WorkspaceStatus::kCreating);
  EXPECT_EQ(store_->workspaces().GetByName("alpha")->id, ws.id);
  EXPECT_EQ(store_->workspaces().Get("nope").status().code(), Code::kNotFound);
}

TEST_P(StoreTest, DuplicateNameIsAlreadyExists) {
  Insert("alpha");
  Workspace dup{NewUuidV4(), "alpha", WorkspaceStatus::kCreating, "img", std::nullopt, "", ""};
  auto st = store_->workspaces().Insert(dup);
  EXPECT_EQ(st.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(st.status().message(), "workspace \"alpha\" already exists");
}

TEST_P(StoreTest, UpdateStatusSetsReasonAndUpdatedAt) {
  Workspace ws = Insert("alpha");
  clock_.Advance(milliseconds(1500));
  ASSERT_TRUE(store_->workspaces().UpdateStatus(ws.id, WorkspaceStatus::kError, "boom").ok());
  auto got = store_->workspaces().Get(ws.id);
  EXPECT_EQ(got->status, WorkspaceStatus::kError);
  EXPECT_EQ(got->status_reason, "boom");
  EXPECT_EQ(got->created_at, ws.created_at);
  EXPECT_EQ(got->updated_at, FormatTime(clock_.Now()));
  EXPECT_EQ(store_->workspaces().UpdateStatus("nope", WorkspaceStatus::kError, {}).code(),
            Code::kNotFound);
}

TEST_P(StoreTest, PaginatesTwoHundredFiftyRowsInCreationOrder) {
  std::vector<std::string> want;
  for (int i = 0; i < 250; ++i) {
    if (i % 3 == 0) clock_.Advance(milliseconds(1));  // some rows share a created_at
    want.push_back(Insert("ws-" + std::to_string(1000 + i)).id);
  }
  std::vector<Workspace> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = store_->workspaces().List(50, cursor, std::nullopt);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->items.size(), 50u);
    seen.insert(seen.end(), page->items.begin(), page->items.end());
    cursor = page->next_cursor;
    ++pages;
  } while (cursor && pages < 10);
  EXPECT_EQ(pages, 5);
  ASSERT_EQ(seen.size(), 250u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end(), [](const auto& a, const auto& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  }));
  std::set<std::string> ids;
  for (const auto& ws : seen) ids.insert(ws.id);
  EXPECT_EQ(ids, std::set<std::string>(want.begin(), want.end()));
}

TEST_P(StoreTest, ExactMultipleOfLimitEndsWithoutCursor) {
  for (int i = 0; i < 4; ++i) Insert("ws-" + std::to_string(100 + i));
  auto first = store_->workspaces().List(2, std::nullopt, std::nullopt);
  ASSERT_TRUE(first->next_cursor);
  auto second = store_->workspaces().List(2, first->next_cursor, std::nullopt);
  EXPECT_EQ(second->items.size(), 2u);
  EXPECT_FALSE(second->next_cursor);
}

TEST_P(StoreTest, MalformedCursorIsInvalidArgument) {
  EXPECT_EQ(store_->workspaces().List(10, "garbage!", std::nullopt).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(store_->workspaces().List(10, "Zm9v", std::nullopt).status().code(),
            Code::kInvalidArgument);
}

TEST_P(StoreTest, DeletingWorkspaceCascadesToPorts) {
  Workspace ws = Insert("alpha", WorkspaceStatus::kRunning);
  ASSERT_TRUE(store_->ports().Insert({ws.id, 3000, "web", ""}).ok());
  ASSERT_TRUE(store_->ports().Insert({ws.id, 5173, std::nullopt, ""}).ok());
  ASSERT_EQ(store_->ports().List(ws.id)->size(), 2u);
  ASSERT_TRUE(store_->workspaces().Delete(ws.id).ok());
  EXPECT_TRUE(store_->ports().List(ws.id)->empty());
  EXPECT_EQ(store_->workspaces().Delete(ws.id).code(), Code::kNotFound);
}

TEST_P(StoreTest, RevisionMovesWithEveryWorkspaceChangeFromAnyConnection) {
  auto revision = [&] {
    auto r = store_->workspaces().Revision();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : -1;
  };
  const int64_t start = revision();
  EXPECT_EQ(revision(), start);  // reading moves nothing
  Workspace ws = Insert("alpha", WorkspaceStatus::kRunning);
  const int64_t inserted = revision();
  EXPECT_NE(inserted, start);
  ASSERT_TRUE(store_->ports().Insert({ws.id, 3000, "web", ""}).ok());
  EXPECT_EQ(revision(), inserted);  // ports are not part of a workspace's list entry
  // A second store on the same file stands for another process (`rockpool worker`).
  auto other = Open();
  ASSERT_TRUE(other->workspaces().UpdateStatus(ws.id, WorkspaceStatus::kStopping, "").ok());
  const int64_t updated = revision();
  EXPECT_NE(updated, inserted);
  EXPECT_EQ(*other->workspaces().Revision(), updated);
  Status failed = store_->Transaction([&] {
    RP_RETURN_IF_ERROR(store_->workspaces().Delete(ws.id));
    return Status::Internal("give up");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(revision(), updated);  // a rolled-back change moves nothing
  ASSERT_TRUE(other->workspaces().Delete(ws.id).ok());
  EXPECT_NE(revision(), updated);
}

TEST_P(StoreTest, PortsAreUniquePerWorkspaceAndNeedTheWorkspace) {
  Workspace ws = Insert("alpha", WorkspaceStatus::kRunning);
  ASSERT_TRUE(store_->ports().Insert({ws.id, 3000, "web", ""}).ok());
  EXPECT_EQ(store_->ports().Insert({ws.id, 3000, "again", ""}).status().code(),
            Code::kAlreadyExists);
  EXPECT_EQ(store_->ports().Insert({"missing", 3000, std::nullopt, ""}).status().code(),
            Code::kNotFound);
  auto ports = store_->ports().List(ws.id);
  ASSERT_EQ(ports->size(), 1u);
  EXPECT_EQ(ports->front().label, "web");
  EXPECT_EQ(store_->ports().Delete(ws.id, 4000).code(), Code::kNotFound);
  EXPECT_TRUE(store_->ports().Delete(ws.id, 3000).ok());
}

TEST_P(StoreTest, PendingPortTurnsActiveOrIsDeletedOnlyWhilePending) {
  Workspace ws = Insert("alpha", WorkspaceStatus::kRunning);
  ASSERT_TRUE(store_->ports().Insert({ws.id, 3000, "web", "", PortState::kPending}).ok());
  clock_.Advance(milliseconds(5));
  ASSERT_TRUE(store_->ports().Insert({ws.id, 3001, std::nullopt, "", PortState::kPending}).ok());
  ASSERT_TRUE(store_->ports().Insert({ws.id, 3002, std::nullopt, ""}).ok());
  EXPECT_EQ(store_->ports().List(ws.id)->front().state, PortState::kPending);
  EXPECT_EQ(store_->ports().List(ws.id)->back().state, PortState::kActive);
  auto pending = store_->ports().ListPending();
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ(pending->front().port, 3000);  // oldest first

  ASSERT_TRUE(store_->ports().Activate(ws.id, 3000).ok());
  EXPECT_EQ(store_->ports().List(ws.id)->front().state, PortState::kActive);
  EXPECT_EQ(store_->ports().Activate(ws.id, 3000).code(), Code::kNotFound);  // not pending any more
  EXPECT_EQ(store_->ports().DeletePending(ws.id, 3000).code(), Code::kNotFound);
  EXPECT_EQ(store_->ports().Activate(ws.id, 4000).code(), Code::kNotFound);
  ASSERT_TRUE(store_->ports().DeletePending(ws.id, 3001).ok());
  EXPECT_EQ(store_->ports().List(ws.id)->size(), 2u);
  EXPECT_TRUE(store_->ports().ListPending()->empty());
}

TEST_P(StoreTest, FailedTransactionRollsBackEverything) {
  Workspace ws = Insert("alpha");
  Status st = store_->Transaction([&]() -> Status {
    RP_RETURN_IF_ERROR(store_->workspaces().UpdateStatus(ws.id, WorkspaceStatus::kRunning, {}));
    RP_RETURN_IF_ERROR(store_->jobs().Insert({ws.id, JobKind::kStart, 3}).status());
    return Status::Conflict("changed my mind");
  });
  EXPECT_EQ(st.code(), Code::kConflict);
  EXPECT_EQ(store_->workspaces().Get(ws.id)->status, WorkspaceStatus::kCreating);
  EXPECT_TRUE(store_->jobs().ListUnfinished()->empty());
}

TEST_P(StoreTest, FailedNestedTransactionUndoesOnlyItsOwnWrites) {
  Workspace ws = Insert("alpha");
  Status st = store_->Transaction([&]() -> Status {
    RP_RETURN_IF_ERROR(store_->workspaces().UpdateStatus(ws.id, WorkspaceStatus::kRunning, {}));
    Status inner = store_->Transaction([&]() -> Status {
      RP_RETURN_IF_ERROR(store_->ports().Insert({ws.id, 3000, std::nullopt, ""}).status());
      return Status::Unavailable("runtime down");
    });
    EXPECT_EQ(inner.code(), Code::kUnavailable);
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(store_->workspaces().Get(ws.id)->status, WorkspaceStatus::kRunning);
  EXPECT_TRUE(store_->ports().List(ws.id)->empty());
}

TEST_P(StoreTest, ReadsOnOtherThreadsDoNotWaitForATransaction) {
  Workspace ws = Insert("alpha");
  ASSERT_TRUE(store_
                  ->Transaction([&]() -> Status {
                    RP_RETURN_IF_ERROR(
                        store_->workspaces().UpdateStatus(ws.id, WorkspaceStatus::kRunning, {}));
                    // Inside the transaction this thread sees its own write ...
                    EXPECT_EQ(store_->workspaces().Get(ws.id)->status, WorkspaceStatus::kRunning);
                    // ... while another thread reads the committed state without blocking.
                    std::optional<WorkspaceStatus> seen;
                    std::thread reader([&] {
                      auto got = store_->workspaces().Get(ws.id);
                      if (got.ok()) seen = got->status;
                    });
                    reader.join();
                    EXPECT_EQ(seen, WorkspaceStatus::kCreating);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(store_->workspaces().Get(ws.id)->status, WorkspaceStatus::kRunning);
}

TEST_P(StoreTest, CountsWorkspacesByStatus) {
  Insert("a-1", WorkspaceStatus::kRunning);
  Insert("a-2", WorkspaceStatus::kRunning);
  Insert("a-3", WorkspaceStatus::kError);
  auto counts = store_->workspaces().CountByStatus();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[WorkspaceStatus::kRunning], 2);
  EXPECT_EQ((*counts)[WorkspaceStatus::kError], 1);
  EXPECT_EQ(counts->count(WorkspaceStatus::kStopped), 0u);
}

TEST_P(StoreTest, ListPagesStayFastWithTenThousandRows) {
  ASSERT_TRUE(store_
                  ->Transaction([&]() -> Status {
                    for (int i = 0; i < 10000; ++i) {
                      if (i % 7 == 0) clock_.Advance(milliseconds(1));
                      Insert("ws-" + std::to_string(10000 + i));
                    }
                    return Status::Ok();
                  })
                  .ok());
  // Cursors for the first, middle and last page.
  std::vector<std::optional<std::string>> cursors{std::nullopt};
  std::optional<std::string> cursor;
  for (int page = 0; page < 199; ++page) {
    cursor = store_->workspaces().List(50, cursor, std::nullopt)->next_cursor;
    if (page == 98 || page == 198) cursors.push_back(cursor);
  }
  for (const auto& c : cursors) {
    std::vector<double> ms;
    for (int i = 0; i < 200; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      auto page = store_->workspaces().List(50, c, std::nullopt);
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      ASSERT_EQ(page->items.size(), 50u);
    }
    std::sort(ms.begin(), ms.end());
    const double p99 = ms[ms.size() * 99 / 100];
    std::printf("list limit=50 at 10000 rows (%s page): p50 %.3f ms, p99 %.3f ms\n",
                c ? "later" : "first", ms[ms.size() / 2], p99);
    // The target is p99 <= 5 ms through HTTP. On a shared 2-core machine the tail measures the
    // scheduler, so the test guards the median, which a full scan (no usable index) breaks.
    EXPECT_LT(ms[ms.size() / 2], 5.0);
  }
}

TEST_P(StoreTest, LimitsRoundTrip) {
  Workspace ws{NewUuidV4(), "limited", WorkspaceStatus::kCreating,         "img", std::nullopt,
               "",          "",        WorkspaceLimits{1.25, 3072, 300, 7}};
  ASSERT_TRUE(store_->workspaces().Insert(ws).ok());
  EXPECT_EQ(store_->workspaces().Get(ws.id)->limits, (WorkspaceLimits{1.25, 3072, 300, 7}));
  EXPECT_EQ(store_->workspaces().List(10, std::nullopt, std::nullopt)->items.at(0).limits,
            ws.limits);
}

// A database made by a release whose schema stopped at `version`.
std::unique_ptr<sqlite::Connection> DatabaseAtVersion(const std::string& path, int version) {
  auto conn = sqlite::Connection::Open(path);
  EXPECT_TRUE(conn.ok());
  EXPECT_TRUE((*conn)
                  ->Exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                         "description TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT",
                         "schema")
                  .ok());
  for (const Migration& m : SqliteMigrations()) {
    if (m.version > version) break;
    EXPECT_TRUE((*conn)->Exec(m.sql, "migrate").ok());
    EXPECT_TRUE((*conn)
                    ->Exec("INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) +
                               ", 'old', 'then')",
                           "record")
                    .ok());
  }
  return std::move(*conn);
}

// A database made before limits were kept: its rows read as the deployment's defaults, and
// rows created after the migration keep their own.
TEST_F(SqliteStoreTest, RowsFromBeforeTheLimitsMigrationReadAsTheDefaults) {
  const std::string path = dir_.File("old.db");
  {
    auto conn = DatabaseAtVersion(path, 2);
    ASSERT_TRUE(conn->Exec("INSERT INTO workspaces (id, name, status, image, created_at, "
                           "updated_at) VALUES ('id-old', 'old', 'stopped', 'img', 't', 't')",
                           "old row")
                    .ok());
  }
  StoreOptions options;
  options.default_limits = {0.5, 1024, 256, 4};
  auto store = SqliteStore::Open(path, clock_, options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->AppliedSchemaVersion(), SqliteStore::SchemaVersion());
  EXPECT_EQ((*store)->workspaces().Get("id-old")->limits, options.default_limits);
  Workspace fresh{NewUuidV4(), "fresh", WorkspaceStatus::kCreating,        "img", std::nullopt,
                  "",          "",      WorkspaceLimits{2, 4096, 2048, 20}};
  ASSERT_TRUE((*store)->workspaces().Insert(fresh).ok());
  EXPECT_EQ((*store)->workspaces().Get(fresh.id)->limits, fresh.limits);
}

// Ports forwarded before ports had a state were all forwarded: they read as active.
TEST_F(SqliteStoreTest, PortsFromBeforeThePortStateMigrationReadAsActive) {
  const std::string path = dir_.File("old.db");
  {
    auto conn = DatabaseAtVersion(path, 3);
    ASSERT_TRUE(conn->Exec("INSERT INTO workspaces (id, name, status, image, created_at, "
                           "updated_at) VALUES ('id-old', 'old', 'running', 'img', 't', 't');"
                           "INSERT INTO ports (workspace_id, port, created_at) "
                           "VALUES ('id-old', 3000, 't')",
                           "old rows")
                    .ok());
  }
  auto store = SqliteStore::Open(path, clock_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto ports = (*store)->ports().List("id-old");
  ASSERT_TRUE(ports.ok()) << ports.status().ToString();
  ASSERT_EQ(ports->size(), 1u);
  EXPECT_EQ(ports->front().state, PortState::kActive);
  EXPECT_TRUE((*store)->ports().ListPending()->empty());
}

TEST_P(StoreTest, NonPositiveLimitsAreRefusedByTheSchema) {
  Workspace ws{NewUuidV4(), "zero", WorkspaceStatus::kCreating,      "img", std::nullopt,
               "",          "",     WorkspaceLimits{0, 1024, 256, 4}};
  EXPECT_FALSE(store_->workspaces().Insert(ws).ok());
}

// Jobs queued before job kinds were left to the code keep every field, and the table takes a
// kind the old CHECK refused.
TEST_F(SqliteStoreTest, JobsFromBeforeTheJobKindMigrationSurviveIt) {
  const std::string path = dir_.File("old.db");
  {
    auto conn = DatabaseAtVersion(path, 4);
    ASSERT_TRUE(conn->Exec("INSERT INTO jobs (id, workspace_id, kind, state, attempts, "
                           "max_attempts, run_after, last_error, created_at, updated_at) VALUES "
                           "(7, 'id-old', 'stop', 'queued', 2, 5, 1000, 'engine busy', 10, 20)",
                           "old job")
                    .ok());
    EXPECT_FALSE(conn->Exec("INSERT INTO jobs (workspace_id, kind, state, max_attempts, "
                            "run_after, created_at, updated_at) VALUES "
                            "('id-old', 'snapshot', 'queued', 1, 0, 0, 0)",
                            "new kind")
                     .ok());
  }
  auto store = SqliteStore::Open(path, clock_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto job = (*store)->jobs().Get(7);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->kind, JobKind::kStop);
  EXPECT_EQ(job->state, JobState::kQueued);
  EXPECT_EQ(job->attempts, 2);
  EXPECT_EQ(job->max_attempts, 5);
  EXPECT_EQ(job->last_error, "engine busy");
  EXPECT_EQ((*store)->jobs().ListUnfinished()->size(), 1u);
  auto conn = sqlite::Connection::Open(path);
  ASSERT_TRUE(conn.ok());
  EXPECT_TRUE((*conn)
                  ->Exec("INSERT INTO jobs (workspace_id, kind, state, max_attempts, run_after, "
                         "created_at, updated_at) VALUES "
                         "('id-old', 'snapshot', 'queued', 1, 0, 0, 0)",
                         "new kind")
                  .ok());
}

}  // namespace
}  // namespace rockpool

namespace rockpool {
namespace {

TEST_P(StoreTest, IdleTimeoutReadsAsTheDefaultUntilSet) {
  Workspace ws = Insert("idle");
  EXPECT_EQ(ws.idle_timeout_seconds, 1800);
  EXPECT_EQ(store_->workspaces().Get(ws.id)->idle_timeout_seconds, 1800);
  clock_.Advance(milliseconds(1000));
  ASSERT_TRUE(store_->workspaces().SetIdleTimeout(ws.id, 0).ok());
  auto read = store_->workspaces().Get(ws.id);
  EXPECT_EQ(read->idle_timeout_seconds, 0);
  EXPECT_EQ(read->updated_at, FormatTime(clock_.Now()));
  ASSERT_TRUE(store_->workspaces().SetIdleTimeout(ws.id, std::nullopt).ok());
  EXPECT_EQ(store_->workspaces().Get(ws.id)->idle_timeout_seconds, 1800);
  EXPECT_EQ(store_->workspaces().SetIdleTimeout("nope", 60).code(), Code::kNotFound);
}

TEST_P(StoreTest, RecordActivityOnlyMovesForwardAndKeepsUpdatedAt) {
  Workspace ws = Insert("busy");
  EXPECT_EQ(store_->workspaces().Get(ws.id)->last_activity_at, std::nullopt);
  const TimePoint t0 = clock_.Now();
  clock_.Advance(milliseconds(60'000));
  ASSERT_TRUE(store_->workspaces().RecordActivity(ws.id, clock_.Now()).ok());
  ASSERT_TRUE(store_->workspaces().RecordActivity(ws.id, t0).ok());  // older: ignored
  auto read = store_->workspaces().Get(ws.id);
  EXPECT_EQ(read->last_activity_at, FormatTime(clock_.Now()));
  EXPECT_EQ(read->updated_at, ws.updated_at);
  EXPECT_EQ(store_->workspaces().RecordActivity("nope", t0).code(), Code::kNotFound);
}

TEST_P(StoreTest, LocationIsRecordedAndClearedWithoutTouchingUpdatedAt) {
  auto ws = *store_->workspaces().Insert({"id-1", "a", WorkspaceStatus::kRunning, "img"});
  EXPECT_EQ(store_->workspaces().Get(ws.id)->location, "");
  const int64_t before = *store_->workspaces().Revision();
  clock_.Advance(std::chrono::seconds(5));
  ASSERT_TRUE(store_->workspaces().SetLocation(ws.id, "member2").ok());
  auto read = *store_->workspaces().Get(ws.id);
  EXPECT_EQ(read.location, "member2");
  EXPECT_EQ(read.updated_at, ws.updated_at);
  EXPECT_NE(*store_->workspaces().Revision(), before);  // cached list pages see it
  EXPECT_EQ(store_->workspaces().List(10, std::nullopt, std::nullopt)->items[0].location,
            "member2");
  ASSERT_TRUE(store_->workspaces().SetLocation(ws.id, "").ok());
  EXPECT_EQ(store_->workspaces().Get(ws.id)->location, "");
  EXPECT_EQ(store_->workspaces().SetLocation("nope", "member1").code(), Code::kNotFound);
}

TEST_P(StoreTest, BecomingRunningCountsAsActivity) {
  Workspace ws = Insert("start");
  clock_.Advance(milliseconds(5000));
  ASSERT_TRUE(store_->workspaces().UpdateStatus(ws.id, WorkspaceStatus::kRunning, {}).ok());
  EXPECT_EQ(store_->workspaces().Get(ws.id)->last_activity_at, FormatTime(clock_.Now()));
  clock_.Advance(milliseconds(5000));
  ASSERT_TRUE(store_->workspaces().UpdateStatus(ws.id, WorkspaceStatus::kStopping, {}).ok());
  EXPECT_NE(store_->workspaces().Get(ws.id)->last_activity_at, FormatTime(clock_.Now()));
}

TEST_P(StoreTest, ALeaseHasOneHolderUntilItRunsOutOrIsGivenUp) {
  LeaseRepository& leases = store_->leases();
  EXPECT_EQ(*leases.Get("reconciler"), std::nullopt);
  EXPECT_TRUE(*leases.Acquire("reconciler", "a", milliseconds(10'000)));
  auto other = Open();  // another process
  EXPECT_FALSE(*other->leases().Acquire("reconciler", "b", milliseconds(10'000)));
  EXPECT_TRUE(*other->leases().Acquire("other-work", "b", milliseconds(10'000)));
  clock_.Advance(milliseconds(6'000));
  EXPECT_TRUE(*leases.Acquire("reconciler", "a", milliseconds(10'000)));  // renewed
  clock_.Advance(milliseconds(6'000));
  EXPECT_FALSE(*other->leases().Acquire("reconciler", "b", milliseconds(10'000)));
  clock_.Advance(milliseconds(5'000));  // a stopped renewing: run out
  EXPECT_TRUE(*other->leases().Acquire("reconciler", "b", milliseconds(10'000)));
  EXPECT_FALSE(*leases.Acquire("reconciler", "a", milliseconds(10'000)));
  auto held = leases.Get("reconciler");
  ASSERT_TRUE(held.ok() && held->has_value());
  EXPECT_EQ((*held)->holder, "b");
  EXPECT_EQ((*held)->until, clock_.Now() + milliseconds(10'000));
  ASSERT_TRUE(leases.Release("reconciler", "a").ok());  // not a's: stays
  EXPECT_EQ((*leases.Get("reconciler"))->holder, "b");
  ASSERT_TRUE(other->leases().Release("reconciler", "b").ok());
  EXPECT_TRUE(*leases.Acquire("reconciler", "a", milliseconds(10'000)));  // no wait after that
}

TEST_P(StoreTest, ProcessesRacingForALeaseNeverBothGetIt) {
  auto other = Open();
  for (int round = 0; round < 50; ++round) {
    const std::string name = "lease-" + std::to_string(round);
    bool a = false, b = false;
    std::thread ta([&] { a = *store_->leases().Acquire(name, "a", milliseconds(10'000)); });
    std::thread tb([&] { b = *other->leases().Acquire(name, "b", milliseconds(10'000)); });
    ta.join();
    tb.join();
    EXPECT_NE(a, b) << name;  // exactly one
  }
}

TEST_P(StoreTest, DefaultIdleTimeoutIsTheStoresOption) {
  StoreOptions options;
  options.default_idle_timeout_seconds = 0;
  auto store = Open(options);
  ASSERT_NE(store, nullptr);
  Workspace ws{NewUuidV4(), "never", WorkspaceStatus::kCreating, "img", std::nullopt, "", ""};
  ASSERT_TRUE(store->workspaces().Insert(ws).ok());
  EXPECT_EQ(store->workspaces().GetByName("never")->idle_timeout_seconds, 0);
}

}  // namespace
}  // namespace rockpool
