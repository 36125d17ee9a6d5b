#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/fake/fake_runtime.h"
#include "service/workspace_service_impl.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class SnapshotServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteStore::Open(dir_.File("rockpool.db"), clock_)).value();
    queue_ = std::make_unique<JobQueue>(store_->jobs());
    WorkspaceServiceOptions options;
    options.max_snapshots = 2;
    service_ = std::make_unique<WorkspaceServiceImpl>(*store_, *queue_, runtime_, options);
  }

  Workspace Seed(const std::string& name, WorkspaceStatus status) {
    runtime_.PutInstance(name, {"rockpool-workspace", status == WorkspaceStatus::kRunning});
    return *store_->workspaces().Insert(
        {NewUuidV4(), name, status, "rockpool-workspace", std::nullopt, "", ""});
  }
  std::vector<Job> Jobs(const std::string& id) { return *store_->jobs().ListForWorkspace(id); }
  std::vector<std::string> Names(const std::string& ref) {
    std::vector<std::string> out;
    auto listed = service_->ListSnapshots(ref);
    EXPECT_TRUE(listed.ok()) << listed.status().ToString();
    if (!listed.ok()) return out;
    for (const auto& s : *listed) out.push_back(s.name);
    return out;
  }

  TempDir dir_;
  FakeClock clock_;
  FakeRuntime runtime_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<WorkspaceServiceImpl> service_;
};

TEST_F(SnapshotServiceTest, SnapshotsRunningAndStoppedWorkspacesAtOnce) {
  Seed("up", WorkspaceStatus::kRunning);
  Seed("down", WorkspaceStatus::kStopped);
  auto a = service_->CreateSnapshot("up", "before-upgrade");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->name, "before-upgrade");
  EXPECT_FALSE(a->created_at.empty());
  ASSERT_TRUE(service_->CreateSnapshot("down", "one").ok());
  EXPECT_THAT(Names("up"), ElementsAre("before-upgrade"));
  EXPECT_THAT(Names("down"), ElementsAre("one"));
}

TEST_F(SnapshotServiceTest, SnapshotWithoutANameIsNamedAfterTheTime) {
  Seed("demo", WorkspaceStatus::kRunning);
  auto first = service_->CreateSnapshot("demo", "");
  auto second = service_->CreateSnapshot("demo", "");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_THAT(first->name, StartsWith("snap-"));
  EXPECT_NE(first->name, second->name);  // the same second gets "-2"
}

TEST_F(SnapshotServiceTest, BadSnapshotNameIsInvalidArgumentSayingWhatIsAllowed) {
  Seed("demo", WorkspaceStatus::kRunning);
  const std::vector<std::string> bads = {
      "Upper", "a/b", "-lead", "trail-", "sp ace", std::string(64, 'a'), ".."};
  for (const std::string& bad : bads) {
    auto made = service_->CreateSnapshot("demo", bad);
    EXPECT_EQ(made.status().code(), Code::kInvalidArgument) << bad;
    EXPECT_THAT(made.status().message(), HasSubstr("lowercase letters, digits and hyphens"));
    EXPECT_EQ(service_->RestoreSnapshot("demo", bad).status().code(), Code::kInvalidArgument);
    EXPECT_EQ(service_->DeleteSnapshot("demo", bad).code(), Code::kInvalidArgument);
  }
  EXPECT_TRUE(runtime_.calls().empty());
}

TEST_F(SnapshotServiceTest, SnapshotBeyondTheCapIsConflictNamingTheSetting) {
  Seed("demo", WorkspaceStatus::kRunning);
  ASSERT_TRUE(service_->CreateSnapshot("demo", "a").ok());
  ASSERT_TRUE(service_->CreateSnapshot("demo", "b").ok());
  auto third = service_->CreateSnapshot("demo", "c");
  EXPECT_EQ(third.status().code(), Code::kConflict);
  EXPECT_THAT(third.status().message(), HasSubstr("ROCKPOOL_MAX_SNAPSHOTS"));
  EXPECT_THAT(third.status().message(), HasSubstr("delete one first"));
  ASSERT_TRUE(service_->DeleteSnapshot("demo", "a").ok());
  EXPECT_TRUE(service_->CreateSnapshot("demo", "c").ok());
  EXPECT_THAT(Names("demo"), ElementsAre("b", "c"));
}

TEST_F(SnapshotServiceTest, TakenNameIsAlreadyExists) {
  Seed("demo", WorkspaceStatus::kStopped);
  ASSERT_TRUE(service_->CreateSnapshot("demo", "a").ok());
  auto again = service_->CreateSnapshot("demo", "a");
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_THAT(again.status().message(), HasSubstr("choose another name"));
}

TEST_F(SnapshotServiceTest, SnapshotInATransientStateOrWithAJobPendingIsConflict) {
  Seed("busy", WorkspaceStatus::kStarting);
  auto made = service_->CreateSnapshot("busy", "a");
  EXPECT_EQ(made.status().code(), Code::kConflict);
  EXPECT_THAT(made.status().message(), HasSubstr("wait until it is running or stopped"));
  Seed("demo", WorkspaceStatus::kStopped);
  ASSERT_TRUE(service_->Delete("demo").ok());  // a delete job is queued
  EXPECT_EQ(service_->CreateSnapshot("demo", "a").status().code(), Code::kConflict);
}

TEST_F(SnapshotServiceTest, RestoreOfARunningWorkspaceIsConflictSayingStopItFirst) {
  Seed("demo", WorkspaceStatus::kRunning);
  ASSERT_TRUE(service_->CreateSnapshot("demo", "a").ok());
  auto restored = service_->RestoreSnapshot("demo", "a");
  EXPECT_EQ(restored.status().code(), Code::kConflict);
  EXPECT_THAT(restored.status().message(), HasSubstr("stop it first"));
}

TEST_F(SnapshotServiceTest, RestoreQueuesARestoreJobNamingTheSnapshotAndBlocksLifecycle) {
  Workspace ws = Seed("demo", WorkspaceStatus::kStopped);
  ASSERT_TRUE(service_->CreateSnapshot("demo", "a").ok());
  auto restored = service_->RestoreSnapshot("demo", "a");
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->status, WorkspaceStatus::kStopped);
  auto jobs = Jobs(ws.id);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].kind, JobKind::kRestore);
  EXPECT_EQ(jobs[0].argument, "a");
  // Until the job is done nothing else may act on the workspace.
  EXPECT_THAT(service_->Start("demo").status().message(), HasSubstr("restore job in progress"));
  EXPECT_EQ(service_->Delete("demo").status().code(), Code::kConflict);
  EXPECT_EQ(service_->RestoreSnapshot("demo", "a").status().code(), Code::kConflict);
  EXPECT_EQ(service_->DeleteSnapshot("demo", "a").code(), Code::kConflict);
  EXPECT_EQ(service_->CreateSnapshot("demo", "b").status().code(), Code::kConflict);
}

TEST_F(SnapshotServiceTest, RestoreOrDeleteOfAMissingSnapshotIsNotFoundAndQueuesNothing) {
  Workspace ws = Seed("demo", WorkspaceStatus::kStopped);
  auto restored = service_->RestoreSnapshot("demo", "nope");
  EXPECT_EQ(restored.status().code(), Code::kNotFound);
  EXPECT_THAT(restored.status().message(), HasSubstr("has no snapshot \"nope\""));
  EXPECT_EQ(service_->DeleteSnapshot("demo", "nope").code(), Code::kNotFound);
  EXPECT_TRUE(Jobs(ws.id).empty());
}

TEST_F(SnapshotServiceTest, EngineFailuresAreTheEnginesAndUnimplementedPassesThrough) {
  Seed("demo", WorkspaceStatus::kRunning);
  runtime_.FailOn("CreateSnapshot", "demo", Status::NotFound("engine: 404 not found"), 1);
  auto made = service_->CreateSnapshot("demo", "a");
  EXPECT_EQ(made.status().code(), Code::kInternal);
  EXPECT_THAT(made.status().message(), HasSubstr("the container engine failed"));
  runtime_.FailOn("ListSnapshots", "demo", Status(Code::kUnimplemented, "no snapshots here"), 1);
  EXPECT_EQ(service_->ListSnapshots("demo").status().code(), Code::kUnimplemented);
}

TEST_F(SnapshotServiceTest, AWorkspaceBeingCreatedHasNoSnapshotsYet) {
  store_->workspaces()
      .Insert({NewUuidV4(), "new", WorkspaceStatus::kCreating, "img", std::nullopt, "", ""})
      .value();
  auto listed = service_->ListSnapshots("new");
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  EXPECT_EQ(service_->ListSnapshots("ghost").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace rockpool
