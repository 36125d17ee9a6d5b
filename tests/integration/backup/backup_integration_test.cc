// Backup and restore against the real LXD/Incus daemon: files written into a workspace's
// filesystem survive a backup, the deployment being wiped (its LXD project deleted) and a
// restore; a restore that fails half-way removes what it imported. The test plays a deployment
// of its own: an LXD project, a tiny image and instances whose names carry its pid, all deleted
// afterwards.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cli/backup.h"
#include "runtime/incus/backups.h"
#include "runtime/incus/files.h"
#include "runtime/incus/images.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/instances.h"
#include "runtime/incus/projects.h"
#include "runtime/incus/socket.h"
#include "store/clock.h"
#include "store/sqlite_store.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;
using incus::IncusClient;

constexpr auto kTimeout = std::chrono::seconds(300);

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

std::string Pid() { return std::to_string(::getpid()); }

class BackupIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto socket = incus::DetectSocket();
    if (!socket.ok()) GTEST_SKIP() << "no Incus/LXD daemon: " << socket.status().message();
    daemon_ = IncusClient::ForSocket(*socket);
    if (!daemon_->Server().ok()) GTEST_SKIP() << "daemon not answering";
    dir_ = fs::temp_directory_path() / ("rp-backup-itest-" + Pid());
    fs::create_directories(dir_);
    spec_ = {.name = "rpb-" + Pid(),
             .owner = dir_.string(),
             .pool = Env("ROCKPOOL_POOL", "rockpool"),
             // A bridge of its own, which EnsureProject makes: deployments do not share one.
             .network = "rpb" + std::to_string(::getpid() % 100000),
             .subnet = "10.252." + std::to_string(::getpid() % 250) + ".1/24"};
    MakeProject();
    project_ = daemon_->InProject(spec_.name);
    fingerprint_ = ImportTinyImage();
    ASSERT_FALSE(fingerprint_.empty());
  }

  void TearDown() override {
    if (!daemon_) return;
    Status deleted = incus::DeleteProject(*daemon_, spec_.name, spec_.owner, kTimeout);
    EXPECT_TRUE(deleted.ok()) << "cleanup: " << deleted.ToString();
    if (!fingerprint_.empty()) {
      Status s = incus::DeleteImage(*daemon_, fingerprint_, std::chrono::seconds(60));
      EXPECT_TRUE(s.ok()) << "cleanup: " << s.ToString();
    }
    (void)daemon_->Call({.method = "DELETE", .path = "/1.0/networks/" + spec_.network});
    fs::remove_all(dir_);
  }

  // The deployment's project with its default profile (root disk on the pool, eth0 on the
  // bridge), as `rockpool up` and `rockpool restore` make it.
  void MakeProject() {
    Status s = incus::EnsureProject(*daemon_, spec_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::string ImportTinyImage() {
    fs::path root = dir_ / "image";
    fs::create_directories(root / "rootfs/etc");
    fs::create_directories(root / "rootfs/root");
    std::ofstream(root / "metadata.yaml")
        << "architecture: x86_64\ncreation_date: " << ::time(nullptr)
        << "\nproperties:\n  description: rockpool backup test " << Pid() << "\n";
    std::ofstream(root / "rootfs/etc/hostname") << "backup-test\n";
    const std::string tarball = (dir_ / "image.tar.gz").string();
    const std::string cmd =
        "tar -C " + root.string() + " -czf " + tarball + " metadata.yaml rootfs";
    if (std::system(cmd.c_str()) != 0) return "";
    auto fp = incus::PostImage(*daemon_, {.tarball_path = tarball}, kTimeout);
    EXPECT_TRUE(fp.ok()) << fp.status().ToString();
    return fp.ok() ? *fp : "";
  }

  // A stopped workspace instance from image `fingerprint`, labelled as Rockpool labels them.
  void MakeWorkspace(const std::string& workspace, const std::string& fingerprint) {
    incus::InstancesPost post{.name = incus::InstanceName(workspace),
                              .profiles = {"default"},
                              .source = {.type = "image", .fingerprint = fingerprint},
                              .config = {{incus::kLabelManaged, "true"},
                                         {incus::kLabelWorkspace, workspace},
                                         {incus::kLabelTemplate, "false"},
                                         {incus::kLabelSpare, "false"},
                                         {incus::kLabelImage, fingerprint}}};
    Status s = incus::CreateInstance(*project_, post, kTimeout);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void WriteFile(const std::string& workspace, const std::string& path, const std::string& text) {
    Status s = incus::PushFile(*project_, incus::InstanceName(workspace),
                               {.path = path, .content = text, .mode = 0600});
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  Result<std::string> ReadFile(const std::string& workspace, const std::string& path) {
    auto r = project_->Fetch(
        {.path = "/1.0/instances/" + incus::InstanceName(workspace) + "/files?path=" + path});
    if (!r.ok()) return r.status();
    return r->body;
  }

  // A state folder whose store knows the workspaces, with credentials.
  std::string MakeState(const std::vector<std::string>& workspaces) {
    const std::string state = (dir_ / "state").string();
    fs::create_directories(state);
    std::ofstream(state + "/auth.json") << R"({"user":"admin","hash":"x"})";
    SystemClock clock;
    auto store = SqliteStore::Open(state + "/rockpool.db", clock);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    for (const auto& ws : workspaces) {
      EXPECT_TRUE((*store)
                      ->workspaces()
                      .Insert({.id = "id-" + ws,
                               .name = ws,
                               .status = WorkspaceStatus::kStopped,
                               .image = "rockpool-workspace"})
                      .ok());
    }
    return state;
  }

  incus::IncusArchiver Archiver() {
    return incus::IncusArchiver(project_, {.storage_pool = spec_.pool});
  }

  Result<BackupManifest> Backup(const std::string& state, incus::WorkspaceArchiver& archiver) {
    return WriteBackup({.state_dir = state,
                        .database = state + "/rockpool.db",
                        .target = (dir_ / "backup").string()},
                       &archiver, Log());
  }

  Status Restore(const std::string& state, incus::WorkspaceArchiver& archiver) {
    return RestoreBackup({.source = (dir_ / "backup").string(),
                          .state_dir = state,
                          .database = state + "/rockpool.db"},
                         archiver, Log());
  }

  // Deletes the deployment: its project with every instance, and its state folder.
  void Wipe(const std::string& state) {
    Status s = incus::DeleteProject(*daemon_, spec_.name, spec_.owner, kTimeout);
    ASSERT_TRUE(s.ok()) << s.ToString();
    fs::remove_all(state);
  }

  Progress Log() {
    return [](const std::string& line) { std::printf("  %s\n", line.c_str()); };
  }

  std::shared_ptr<IncusClient> daemon_;   // no project: images
  std::shared_ptr<IncusClient> project_;  // the test deployment's project
  incus::ProjectSpec spec_;
  fs::path dir_;
  std::string fingerprint_;
};

TEST_F(BackupIntegrationTest, FilesSurviveBackupWipeAndRestore) {
  MakeWorkspace("bka", fingerprint_);
  MakeWorkspace("bkb", fingerprint_);
  WriteFile("bka", "/root/notes.txt", "written in workspace a\n");
  WriteFile("bkb", "/root/notes.txt", "written in workspace b\n");
  auto before = incus::GetInstance(*project_, "rp-bka", false);
  ASSERT_TRUE(before.ok());

  const std::string state = MakeState({"bka", "bkb"});
  auto archiver = Archiver();
  auto manifest = Backup(state, archiver);
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  ASSERT_EQ(manifest->workspaces.size(), 2u);

  Wipe(state);
  ASSERT_EQ(incus::GetInstance(*project_, "rp-bka", false).status().code(), Code::kNotFound);
  MakeProject();  // what `rockpool restore` does first on a new host
  Status restored = Restore(state, archiver);
  ASSERT_TRUE(restored.ok()) << restored.ToString();

  auto file_a = ReadFile("bka", "/root/notes.txt");
  ASSERT_TRUE(file_a.ok()) << file_a.status().ToString();
  EXPECT_EQ(*file_a, "written in workspace a\n");
  auto file_b = ReadFile("bkb", "/root/notes.txt");
  ASSERT_TRUE(file_b.ok()) << file_b.status().ToString();
  EXPECT_EQ(*file_b, "written in workspace b\n");
  auto after = incus::GetInstance(*project_, "rp-bka", false);
  ASSERT_TRUE(after.ok());
  for (const char* label : {incus::kLabelManaged, incus::kLabelWorkspace, incus::kLabelTemplate,
                            incus::kLabelSpare, incus::kLabelImage}) {
    EXPECT_EQ(after->Label(label), before->Label(label)) << label;
  }
  EXPECT_EQ(after->Label(incus::kLabelWorkspace), "bka");
  EXPECT_FALSE(after->running());
  auto listed = archiver.ListWorkspaces();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 2u);

  SystemClock clock;
  auto store = SqliteStore::Open(state + "/rockpool.db", clock);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE((*store)->workspaces().GetByName("bkb").ok());
  EXPECT_TRUE(fs::exists(state + "/auth.json"));
}

TEST_F(BackupIntegrationTest, ARestoreThatFailsHalfWayRemovesWhatItImported) {
  MakeWorkspace("bka", fingerprint_);
  MakeWorkspace("bkb", fingerprint_);
  const std::string state = MakeState({"bka", "bkb"});
  auto archiver = Archiver();
  ASSERT_TRUE(Backup(state, archiver).ok());
  ASSERT_TRUE(archiver.Remove("rp-bka").ok());
  fs::remove_all(state);
  // rp-bkb still exists on the engine, so importing it fails after rp-bka was imported. (The
  // check for existing workspaces is passed by an archiver that lists none.)
  class ListsNothing final : public incus::WorkspaceArchiver {
   public:
    explicit ListsNothing(incus::WorkspaceArchiver& real) : real_(real) {}
    Result<std::vector<incus::WorkspaceInstance>> ListWorkspaces() override {
      return std::vector<incus::WorkspaceInstance>{};
    }
    Status Export(const std::string& i, const std::string& p) override {
      return real_.Export(i, p);
    }
    Status Import(const std::string& p, const std::string& i) override {
      return real_.Import(p, i);
    }
    Status Remove(const std::string& i) override { return real_.Remove(i); }

   private:
    incus::WorkspaceArchiver& real_;
  } lists_nothing(archiver);
  Status restored = Restore(state, lists_nothing);
  ASSERT_FALSE(restored.ok());
  EXPECT_NE(restored.message().find("restore workspace bkb"), std::string::npos)
      << restored.message();
  EXPECT_EQ(incus::GetInstance(*project_, "rp-bka", false).status().code(), Code::kNotFound);
  EXPECT_TRUE(incus::GetInstance(*project_, "rp-bkb", false).ok());  // what was there stays
  EXPECT_FALSE(fs::exists(state + "/rockpool.db"));
}

TEST_F(BackupIntegrationTest, RestoreRefusesADeploymentThatHasWorkspaces) {
  MakeWorkspace("bka", fingerprint_);
  const std::string state = MakeState({"bka"});
  auto archiver = Archiver();
  ASSERT_TRUE(Backup(state, archiver).ok());
  fs::remove_all(state);
  Status restored = Restore(state, archiver);
  EXPECT_EQ(restored.code(), Code::kConflict);
  EXPECT_NE(restored.message().find("rp-bka"), std::string::npos) << restored.message();
}

// Opt-in (ROCKPOOL_BACKUP_MEASURE=<image alias>, e.g. rockpool-workspace): a workspace made
// from a full image, backed up, wiped and restored, to measure size and time.
TEST_F(BackupIntegrationTest, MeasuresAWorkspaceFromAFullImage) {
  const std::string alias = Env("ROCKPOOL_BACKUP_MEASURE", "");
  if (alias.empty()) GTEST_SKIP() << "set ROCKPOOL_BACKUP_MEASURE=<image alias>";
  auto target = incus::GetImageAliasTarget(*daemon_, alias);
  ASSERT_TRUE(target.ok() && target->has_value()) << "no image alias " << alias;
  MakeWorkspace("bkm", **target);
  WriteFile("bkm", "/root/notes.txt", "measured\n");
  const std::string state = MakeState({"bkm"});
  auto archiver = Archiver();
  auto manifest = Backup(state, archiver);
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  Wipe(state);
  MakeProject();
  Status restored = Restore(state, archiver);
  ASSERT_TRUE(restored.ok()) << restored.ToString();
  auto file = ReadFile("bkm", "/root/notes.txt");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(*file, "measured\n");
}

}  // namespace
}  // namespace rockpool
