#include "cli/backup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "store/sqlite_db.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteAll(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

unsigned Mode(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 0777;
}

// An engine in memory: instance name -> archive bytes; records what it was asked.
class FakeArchiver final : public incus::WorkspaceArchiver {
 public:
  std::map<std::string, std::string> instances;  // instance -> "filesystem" bytes
  std::string fail_export;                       // instance whose Export fails
  std::string fail_import;                       // instance whose Import fails
  std::vector<std::string> imported, removed;

  Result<std::vector<incus::WorkspaceInstance>> ListWorkspaces() override {
    std::vector<incus::WorkspaceInstance> out;
    for (const auto& [instance, bytes] : instances) out.push_back({instance.substr(3), instance});
    return out;
  }
  Status Export(const std::string& instance, const std::string& path) override {
    if (instance == fail_export) return Status::Internal("export " + instance + ": disk full");
    WriteAll(path, instances.at(instance));
    return Status::Ok();
  }
  Status Import(const std::string& path, const std::string& instance) override {
    if (instance == fail_import) return Status::Internal("import " + instance + ": no pool");
    if (instances.count(instance) != 0) return Status::Conflict(instance + " exists");
    instances[instance] = ReadAll(path);
    imported.push_back(instance);
    return Status::Ok();
  }
  Status Remove(const std::string& instance) override {
    instances.erase(instance);
    removed.push_back(instance);
    return Status::Ok();
  }
};

// A state folder with a store holding workspaces `names`, credentials and a pid file.
class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_ = dir_.File("state");
    fs::create_directories(state_);
    WriteAll(state_ + "/auth.json", R"({"user":"admin","hash":"$2b$..."})");
    WriteAll(state_ + "/serve.pid", "123\n");
    engine_.instances = {{"rp-alpha", "alpha's files"}, {"rp-beta", "beta's files"}};
  }

  void MakeStore(const std::string& path, const std::vector<std::string>& names,
                 WorkspaceStatus status = WorkspaceStatus::kStopped) {
    auto store = SqliteStore::Open(path, clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (const std::string& name : names) {
      Workspace ws{
          .id = "id-" + name, .name = name, .status = status, .image = "rockpool-workspace"};
      ASSERT_TRUE((*store)->workspaces().Insert(ws).ok());
    }
  }

  BackupPlan Plan(const std::string& target, bool only_store = false) {
    return {.state_dir = state_,
            .database = state_ + "/rockpool.db",
            .target = target,
            .only_store = only_store,
            .engine = "lxd 5.0.2"};
  }

  RestorePlan Restore(const std::string& source, const std::string& state) {
    return {.source = source, .state_dir = state, .database = state + "/rockpool.db"};
  }

  // Backs up this deployment (engine_, state_) and restores it into `engine` and `state`.
  void BackUpAndRestore(FakeArchiver& engine, const std::string& state) {
    const std::string target = dir_.File("backup");
    ASSERT_TRUE(WriteBackup(Plan(target), &engine_, Log()).ok());
    Status s = RestoreBackup(Restore(target, state), engine, Log());
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  Progress Log() {
    return [this](const std::string& line) { lines_.push_back(line); };
  }

  TempDir dir_;
  std::string state_;
  FakeClock clock_;
  FakeArchiver engine_;
  std::vector<std::string> lines_;
};

TEST_F(BackupTest, WritesStoreSettingsWorkspacesAndAManifestWithChecksums) {
  MakeStore(state_ + "/rockpool.db", {"alpha", "beta"});
  const std::string target = dir_.File("backup");
  auto manifest = WriteBackup(Plan(target), &engine_, Log());
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();

  EXPECT_EQ(manifest->schema_version, SqliteStore::SchemaVersion());
  EXPECT_EQ(manifest->engine, "lxd 5.0.2");
  ASSERT_EQ(manifest->workspaces.size(), 2u);
  EXPECT_EQ(manifest->workspaces[0].name, "alpha");
  EXPECT_EQ(manifest->workspaces[0].instance, "rp-alpha");
  EXPECT_EQ(ReadAll(target + "/" + manifest->workspaces[1].file), "beta's files");
  EXPECT_EQ(ReadAll(target + "/settings/auth.json"), ReadAll(state_ + "/auth.json"));
  EXPECT_FALSE(fs::exists(target + "/settings/serve.pid"));
  EXPECT_TRUE(VerifyBackupFiles(target, *manifest).ok());
  auto read = ReadManifest(target);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(ToJson(*read), ToJson(*manifest));
  // Progress names each workspace with its size and time.
  bool said = false;
  for (const auto& line : lines_) said |= line.starts_with("workspace beta (rp-beta): ");
  EXPECT_TRUE(said);

  // The copy is a store in its own right, with both workspaces.
  FakeClock clock;
  auto copy = SqliteStore::Open(target + "/store.db", clock);
  ASSERT_TRUE(copy.ok());
  auto all = (*copy)->workspaces().ListAll();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
}

TEST_F(BackupTest, EverythingIsRootsAlone) {
  MakeStore(state_ + "/rockpool.db", {"alpha"});
  const std::string target = dir_.File("backup");
  ASSERT_TRUE(WriteBackup(Plan(target), &engine_, Log()).ok());
  for (const auto& entry : fs::recursive_directory_iterator(target)) {
    const unsigned want = entry.is_directory() ? 0700u : 0600u;
    EXPECT_EQ(Mode(entry.path().string()), want) << entry.path();
  }
  EXPECT_EQ(Mode(target), 0700u);
}

TEST_F(BackupTest, OnlyStoreSkipsWorkspacesAndNeedsNoEngine) {
  MakeStore(state_ + "/rockpool.db", {"alpha"});
  auto manifest = WriteBackup(Plan(dir_.File("backup"), true), nullptr, Log());
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  EXPECT_TRUE(manifest->only_store);
  EXPECT_TRUE(manifest->workspaces.empty());
  EXPECT_FALSE(fs::exists(dir_.File("backup/workspaces")));
}

TEST_F(BackupTest, RefusesAFolderThatIsNotEmpty) {
  MakeStore(state_ + "/rockpool.db", {});
  const std::string target = dir_.File("backup");
  fs::create_directories(target);
  WriteAll(target + "/notes.txt", "mine");
  auto manifest = WriteBackup(Plan(target), &engine_, Log());
  ASSERT_FALSE(manifest.ok());
  EXPECT_NE(manifest.status().message().find("is not empty"), std::string::npos);
  EXPECT_EQ(ReadAll(target + "/notes.txt"), "mine");
}

TEST_F(BackupTest, AFailedWorkspaceLeavesNoHalfBackup) {
  MakeStore(state_ + "/rockpool.db", {"alpha", "beta"});
  engine_.fail_export = "rp-beta";
  const std::string target = dir_.File("backup");
  auto manifest = WriteBackup(Plan(target), &engine_, Log());
  ASSERT_FALSE(manifest.ok());
  EXPECT_NE(manifest.status().message().find("back up workspace beta"), std::string::npos)
      << manifest.status().message();
  EXPECT_FALSE(fs::exists(target));
}

TEST_F(BackupTest, MissingStoreIsAClearError) {
  auto manifest = WriteBackup(Plan(dir_.File("backup")), &engine_, Log());
  ASSERT_FALSE(manifest.ok());
  EXPECT_NE(manifest.status().message().find("ROCKPOOL_STATE_DIR"), std::string::npos);
}

TEST_F(BackupTest, CopiesALiveStoreWhileAnotherConnectionWrites) {
  const std::string db = state_ + "/rockpool.db";
  MakeStore(db, {"alpha"});
  auto store = SqliteStore::Open(db, clock_);
  ASSERT_TRUE(store.ok());
  // A write transaction stays open while the backup runs: it must neither block the backup
  // nor show up in it half-done.
  Status in_txn = (*store)->Transaction([&]() -> Status {
    Workspace ws{.id = "id-gamma",
                 .name = "gamma",
                 .status = WorkspaceStatus::kStopped,
                 .image = "rockpool-workspace"};
    RP_RETURN_IF_ERROR((*store)->workspaces().Insert(ws).status());
    auto manifest = WriteBackup(Plan(dir_.File("backup"), true), nullptr, Log());
    return manifest.status();
  });
  ASSERT_TRUE(in_txn.ok()) << in_txn.ToString();
  FakeClock clock;
  auto copy = SqliteStore::Open(dir_.File("backup/store.db"), clock);
  ASSERT_TRUE(copy.ok());
  auto all = (*copy)->workspaces().ListAll();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].name, "alpha");
}

TEST_F(BackupTest, RestoreBringsBackWorkspacesSettingsAndStore) {
  MakeStore(state_ + "/rockpool.db", {"alpha", "beta"});
  FakeArchiver fresh;
  const std::string state = dir_.File("new-state");
  ASSERT_NO_FATAL_FAILURE(BackUpAndRestore(fresh, state));
  EXPECT_EQ(fresh.instances, engine_.instances);
  EXPECT_EQ(ReadAll(state + "/auth.json"), ReadAll(state_ + "/auth.json"));
  EXPECT_EQ(Mode(state + "/auth.json"), 0600u);
  auto store = SqliteStore::Open(state + "/rockpool.db", clock_);
  ASSERT_TRUE(store.ok());
  auto beta = (*store)->workspaces().GetByName("beta");
  ASSERT_TRUE(beta.ok());
  EXPECT_EQ(beta->id, "id-beta");
  for (const auto& entry : fs::directory_iterator(state)) {
    EXPECT_FALSE(entry.path().string().ends_with(".before-restore")) << entry.path();
  }
}

// The engine brings instances back stopped: workspaces that ran are recorded as stopped, so
// the reconciler does not find them "stopped outside Rockpool"; one with a job coming is left
// to its job.
TEST_F(BackupTest, WorkspacesThatRanComeBackStoppedWithTheReason) {
  MakeStore(state_ + "/rockpool.db", {"alpha", "beta"}, WorkspaceStatus::kRunning);
  {
    auto store = SqliteStore::Open(state_ + "/rockpool.db", clock_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->jobs().Insert({.workspace_id = "id-beta", .kind = JobKind::kStop}).ok());
  }
  FakeArchiver fresh;
  const std::string state = dir_.File("new-state");
  ASSERT_NO_FATAL_FAILURE(BackUpAndRestore(fresh, state));
  auto store = SqliteStore::Open(state + "/rockpool.db", clock_);
  ASSERT_TRUE(store.ok());
  auto alpha = (*store)->workspaces().GetByName("alpha");
  ASSERT_TRUE(alpha.ok());
  EXPECT_EQ(alpha->status, WorkspaceStatus::kStopped);
  EXPECT_EQ(alpha->status_reason, "restored from a backup; start it again");
  auto beta = (*store)->workspaces().GetByName("beta");
  ASSERT_TRUE(beta.ok());
  EXPECT_EQ(beta->status, WorkspaceStatus::kRunning) << "its queued stop decides";
  EXPECT_THAT(lines_, ::testing::Contains(::testing::HasSubstr("1 workspace(s) that ran")));
}

TEST_F(BackupTest, RestoreReplacesAnEmptyDeploymentsStoreAndCredentials) {
  MakeStore(state_ + "/rockpool.db", {"alpha"});
  const std::string target = dir_.File("backup");
  ASSERT_TRUE(WriteBackup(Plan(target), &engine_, Log()).ok());
  const std::string state = dir_.File("other");
  fs::create_directories(state);
  MakeStore(state + "/rockpool.db", {});
  WriteAll(state + "/auth.json", "old credentials");
  FakeArchiver fresh;
  ASSERT_TRUE(RestoreBackup(Restore(target, state), fresh, Log()).ok());
  EXPECT_EQ(ReadAll(state + "/auth.json"), ReadAll(state_ + "/auth.json"));
  auto store = SqliteStore::Open(state + "/rockpool.db", clock_);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE((*store)->workspaces().GetByName("alpha").ok());
}

TEST_F(BackupTest, RestoreRefusesADamagedBackupBeforeTouchingAnything) {
  MakeStore(state_ + "/rockpool.db", {"alpha", "beta"});
  const std::string target = dir_.File("backup");
  auto manifest = WriteBackup(Plan(target), &engine_, Log());
  ASSERT_TRUE(manifest.ok());
  WriteAll(target + "/" + manifest->workspaces[1].file, "beta's filez");  // same size

  FakeArchiver fresh;
  const std::string state = dir_.File("new-state");
  RestorePlan plan = Restore(target, state);
  bool prepared = false;
  plan.prepare_engine = [&prepared] {
    prepared = true;
    return Status::Ok();
  };
  Status s = RestoreBackup(plan, fresh, Log());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("does not match its SHA-256"), std::string::npos) << s.message();
  EXPECT_FALSE(prepared);
  EXPECT_TRUE(fresh.imported.empty());
  EXPECT_FALSE(fs::exists(state));
}

TEST_F(BackupTest, RestoreRefusesAnUnfinishedBackup) {
  MakeStore(state_ + "/rockpool.db", {"alpha"});
  const std::string target = dir_.File("backup");
  ASSERT_TRUE(WriteBackup(Plan(target), &engine_, Log()).ok());
  fs::remove(target + "/manifest.json");
  FakeArchiver fresh;
  Status s = RestoreBackup(Restore(target, dir_.File("new-state")), fresh, Log());
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_NE(s.message().find("not a Rockpool backup"), std::string::npos) << s.message();
}

TEST_F(BackupTest, RestoreRefusesADeploymentWithWorkspaces) {
  MakeStore(state_ + "/rockpool.db", {"alpha"});
  const std::string target = dir_.File("backup");
  ASSERT_TRUE(WriteBackup(Plan(target), &engine_, Log()).ok());

  // In the store...
  FakeArchiver empty;
  Status s = RestoreBackup(Restore(target, state_), empty, Log());
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_NE(s.message().find("holds 1 workspace(s)"), std::string::npos) << s.message();
  EXPECT_TRUE(empty.imported.empty());
  // ... or on the engine.
  s = RestoreBackup(Restore(target, dir_.File("new-state")), engine_, Log());
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_NE(s.message().find("rp-alpha"), std::string::npos) << s.message();
}

TEST_F(BackupTest, AFailedImportUndoesTheImportsBeforeIt) {
  MakeStore(state_ + "/rockpool.db", {"alpha", "beta"});
  const std::string target = dir_.File("backup");
  ASSERT_TRUE(WriteBackup(Plan(target), &engine_, Log()).ok());
  FakeArchiver fresh;
  fresh.fail_import = "rp-beta";
  const std::string state = dir_.File("new-state");
  Status s = RestoreBackup(Restore(target, state), fresh, Log());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("restore workspace beta"), std::string::npos) << s.message();
  EXPECT_EQ(fresh.imported, std::vector<std::string>{"rp-alpha"});
  EXPECT_EQ(fresh.removed, std::vector<std::string>{"rp-alpha"});
  EXPECT_TRUE(fresh.instances.empty());
  EXPECT_FALSE(fs::exists(state + "/rockpool.db"));
  EXPECT_FALSE(fs::exists(state + "/auth.json"));
}

TEST_F(BackupTest, RestoreRefusesAStoreNewerThanThisBuild) {
  MakeStore(state_ + "/rockpool.db", {});
  const std::string target = dir_.File("backup");
  auto manifest = WriteBackup(Plan(target, true), nullptr, Log());
  ASSERT_TRUE(manifest.ok());
  manifest->schema_version = SqliteStore::SchemaVersion() + 1;
  ASSERT_TRUE(WriteManifest(target, *manifest).ok());
  FakeArchiver fresh;
  Status s = RestoreBackup(Restore(target, dir_.File("new-state")), fresh, Log());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("newer than this build"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace rockpool
