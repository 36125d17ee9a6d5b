// Backup and restore against the real LXD/Incus daemon: files written into a workspace's
// filesystem survive a backup, the deployment being wiped, and a restore; a restore that fails
// half-way removes what it imported. The test makes its own tiny image and instances (names
// carry its pid), labels them with keys of its own so no running Rockpool takes them for its
// workspaces, and deletes all of it afterwards.
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
#include "runtime/incus/instances.h"
#include "runtime/incus/socket.h"
#include "store/clock.h"
#include "store/sqlite_store.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;
using incus::IncusClient;

constexpr char kTestLabel[] = "user.rockpool-backup-test.workspace";
constexpr auto kTimeout = std::chrono::seconds(300);

// The real archiver, but only the test's instances count as workspaces.
class TestArchiver final : public incus::WorkspaceArchiver {
 public:
  TestArchiver(std::shared_ptr<IncusClient> client, std::string pool)
      : client_(client), real_(client, {.storage_pool = std::move(pool)}) {}

  Result<std::vector<incus::WorkspaceInstance>> ListWorkspaces() override {
    RP_ASSIGN_OR_RETURN(auto all, incus::GetInstances(*client_, false));
    std::vector<incus::WorkspaceInstance> out;
    for (const auto& i : all) {
      const std::string ws = i.Label(kTestLabel);
      if (!ws.empty() && i.name.ends_with(Suffix())) out.push_back({ws, i.name});
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.instance < b.instance; });
    return out;
  }
  Status Export(const std::string& i, const std::string& p) override { return real_.Export(i, p); }
  Status Import(const std::string& p, const std::string& i) override { return real_.Import(p, i); }
  Status Remove(const std::string& i) override { return real_.Remove(i); }

  static std::string Suffix() { return "-" + std::to_string(::getpid()); }

 private:
  std::shared_ptr<IncusClient> client_;
  incus::IncusArchiver real_;
};

class BackupIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto socket = incus::DetectSocket();
    if (!socket.ok()) GTEST_SKIP() << "no Incus/LXD daemon: " << socket.status().message();
    client_ = IncusClient::ForSocket(*socket);
    if (!client_->Server().ok()) GTEST_SKIP() << "daemon not answering";
    pool_ = PickPool();
    if (pool_.empty()) GTEST_SKIP() << "the daemon has no storage pool";
    dir_ = fs::temp_directory_path() / ("rp-backup-itest" + TestArchiver::Suffix());
    fs::create_directories(dir_);
    fingerprint_ = ImportTinyImage();
    ASSERT_FALSE(fingerprint_.empty());
  }

  void TearDown() override {
    if (!client_) return;
    for (const auto& name : instances_) {
      Status s = incus::IncusArchiver(client_, {}).Remove(name);
      EXPECT_TRUE(s.ok()) << "cleanup: " << s.ToString();
    }
    if (!fingerprint_.empty()) {
      Status s = incus::DeleteImage(*client_, fingerprint_, std::chrono::seconds(60));
      EXPECT_TRUE(s.ok()) << "cleanup: " << s.ToString();
    }
    fs::remove_all(dir_);
  }

  std::string PickPool() {
    auto r = client_->Call({.path = "/1.0/storage-pools"});
    if (!r.ok() || !r->metadata.is_array() || r->metadata.empty()) return "";
    for (const auto& p : r->metadata) {
      if (p.get<std::string>() == "/1.0/storage-pools/rockpool") return "rockpool";
    }
    return fs::path(r->metadata[0].get<std::string>()).filename().string();
  }

  std::string ImportTinyImage() {
    fs::path root = dir_ / "image";
    fs::create_directories(root / "rootfs/etc");
    fs::create_directories(root / "rootfs/root");
    std::ofstream(root / "metadata.yaml")
        << "architecture: x86_64\ncreation_date: " << ::time(nullptr)
        << "\nproperties:\n  description: rockpool backup test " << ::getpid() << "\n";
    std::ofstream(root / "rootfs/etc/hostname") << "backup-test\n";
    const std::string tarball = (dir_ / "image.tar.gz").string();
    const std::string cmd =
        "tar -C " + root.string() + " -czf " + tarball + " metadata.yaml rootfs";
    if (std::system(cmd.c_str()) != 0) return "";
    auto fp = incus::PostImage(*client_, {.tarball_path = tarball}, kTimeout);
    EXPECT_TRUE(fp.ok()) << fp.status().ToString();
    return fp.ok() ? *fp : "";
  }

  // A stopped instance from the tiny image, labelled as workspace `workspace`.
  void MakeInstance(const std::string& name, const std::string& workspace) {
    incus::InstancesPost post{
        .name = name,
        .profiles = {},
        .source = {.type = "image", .fingerprint = fingerprint_},
        .config = {{kTestLabel, workspace}, {"user.rockpool-backup-test.note", "kept"}},
        .devices = {{"root", {{"type", "disk"}, {"path", "/"}, {"pool", pool_}}}}};
    instances_.push_back(name);
    Status s = incus::CreateInstance(*client_, post, kTimeout);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void WriteFile(const std::string& instance, const std::string& path, const std::string& text) {
    Status s = incus::PushFile(*client_, instance, {.path = path, .content = text, .mode = 0600});
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  Result<std::string> ReadFile(const std::string& instance, const std::string& path) {
    auto r = client_->Fetch({.path = "/1.0/instances/" + instance + "/files?path=" + path});
    if (!r.ok()) return r.status();
    return r->body;
  }

  // A state folder whose store knows the workspaces and whose credentials are `auth`.
  std::string MakeState(const std::string& name, const std::vector<std::string>& workspaces) {
    const std::string state = (dir_ / name).string();
    fs::create_directories(state);
    std::ofstream(state + "/auth.json") << R"({"user":"admin","hash":"x"})";
    SystemClock clock;
    auto store = SqliteStore::Open(state + "/rockpool.db", clock);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    for (const auto& ws : workspaces) {
      EXPECT_TRUE((*store)
                      ->InsertWorkspace({.id = "id-" + ws,
                                         .name = ws,
                                         .status = WorkspaceStatus::kStopped,
                                         .image = "rockpool-workspace"})
                      .ok());
    }
    return state;
  }

  Progress Log() {
    return [](const std::string& line) { std::printf("  %s\n", line.c_str()); };
  }

  std::shared_ptr<IncusClient> client_;
  std::string pool_;
  fs::path dir_;
  std::string fingerprint_;
  std::vector<std::string> instances_;
};

TEST_F(BackupIntegrationTest, FilesSurviveBackupWipeAndRestore) {
  const std::string a = "rp-bka" + TestArchiver::Suffix();
  const std::string b = "rp-bkb" + TestArchiver::Suffix();
  MakeInstance(a, "bka");
  MakeInstance(b, "bkb");
  WriteFile(a, "/root/notes.txt", "written in workspace a\n");
  WriteFile(b, "/root/notes.txt", "written in workspace b\n");
  auto before = incus::GetInstance(*client_, a, false);
  ASSERT_TRUE(before.ok());

  const std::string state = MakeState("state", {"bka", "bkb"});
  const std::string backup = (dir_ / "backup").string();
  TestArchiver archiver(client_, pool_);
  auto manifest = WriteBackup(
      {.state_dir = state, .database = state + "/rockpool.db", .target = backup}, &archiver, Log());
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  ASSERT_EQ(manifest->workspaces.size(), 2u);

  // Wipe: the instances and the state folder go.
  ASSERT_TRUE(archiver.Remove(a).ok());
  ASSERT_TRUE(archiver.Remove(b).ok());
  fs::remove_all(state);
  ASSERT_EQ(incus::GetInstance(*client_, a, false).status().code(), Code::kNotFound);

  Status restored = RestoreBackup(
      {.source = backup, .state_dir = state, .database = state + "/rockpool.db"}, archiver, Log());
  ASSERT_TRUE(restored.ok()) << restored.ToString();

  auto file_a = ReadFile(a, "/root/notes.txt");
  ASSERT_TRUE(file_a.ok()) << file_a.status().ToString();
  EXPECT_EQ(*file_a, "written in workspace a\n");
  auto file_b = ReadFile(b, "/root/notes.txt");
  ASSERT_TRUE(file_b.ok()) << file_b.status().ToString();
  EXPECT_EQ(*file_b, "written in workspace b\n");
  auto after = incus::GetInstance(*client_, a, false);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->Label(kTestLabel), "bka");
  EXPECT_EQ(after->Label("user.rockpool-backup-test.note"), "kept");
  EXPECT_EQ(after->Label("volatile.base_image"), before->Label("volatile.base_image"));
  SystemClock clock;
  auto store = SqliteStore::Open(state + "/rockpool.db", clock);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE((*store)->GetWorkspaceByName("bkb").ok());
  EXPECT_TRUE(fs::exists(state + "/auth.json"));
}

TEST_F(BackupIntegrationTest, ARestoreThatFailsHalfWayRemovesWhatItImported) {
  const std::string a = "rp-bka" + TestArchiver::Suffix();
  const std::string b = "rp-bkb" + TestArchiver::Suffix();
  MakeInstance(a, "bka");
  MakeInstance(b, "bkb");
  const std::string state = MakeState("state", {"bka", "bkb"});
  const std::string backup = (dir_ / "backup").string();
  TestArchiver archiver(client_, pool_);
  auto manifest = WriteBackup(
      {.state_dir = state, .database = state + "/rockpool.db", .target = backup}, &archiver, Log());
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  ASSERT_TRUE(archiver.Remove(a).ok());
  fs::remove_all(state);
  // b still exists on the engine: importing it fails after a was imported. (The check for
  // existing workspaces is passed by listing none.)
  class HideExisting final : public incus::WorkspaceArchiver {
   public:
    explicit HideExisting(TestArchiver& real) : real_(real) {}
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
    TestArchiver& real_;
  } hide(archiver);
  Status restored = RestoreBackup(
      {.source = backup, .state_dir = state, .database = state + "/rockpool.db"}, hide, Log());
  ASSERT_FALSE(restored.ok());
  EXPECT_NE(restored.message().find("restore workspace bkb"), std::string::npos)
      << restored.message();
  EXPECT_EQ(incus::GetInstance(*client_, a, false).status().code(), Code::kNotFound);
  EXPECT_TRUE(incus::GetInstance(*client_, b, false).ok());  // what was there stays
  EXPECT_FALSE(fs::exists(state + "/rockpool.db"));
}

// Opt-in (ROCKPOOL_BACKUP_MEASURE=<image alias>, e.g. rockpool-workspace): one workspace made
// from a full image, backed up and restored, to measure size and time.
TEST_F(BackupIntegrationTest, MeasuresAWorkspaceFromAFullImage) {
  const char* alias = std::getenv("ROCKPOOL_BACKUP_MEASURE");
  if (alias == nullptr || *alias == 0) GTEST_SKIP() << "set ROCKPOOL_BACKUP_MEASURE=<image alias>";
  auto target = incus::GetImageAliasTarget(*client_, alias);
  ASSERT_TRUE(target.ok() && target->has_value()) << "no image alias " << alias;
  const std::string saved = fingerprint_;
  fingerprint_ = **target;
  const std::string a = "rp-bkm" + TestArchiver::Suffix();
  MakeInstance(a, "bkm");
  fingerprint_ = saved;
  WriteFile(a, "/root/notes.txt", "measured\n");
  const std::string state = MakeState("state", {"bkm"});
  const std::string backup = (dir_ / "backup").string();
  TestArchiver archiver(client_, pool_);
  auto manifest = WriteBackup(
      {.state_dir = state, .database = state + "/rockpool.db", .target = backup}, &archiver, Log());
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  ASSERT_TRUE(archiver.Remove(a).ok());
  fs::remove_all(state);
  Status restored = RestoreBackup(
      {.source = backup, .state_dir = state, .database = state + "/rockpool.db"}, archiver, Log());
  ASSERT_TRUE(restored.ok()) << restored.ToString();
  auto file = ReadFile(a, "/root/notes.txt");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(*file, "measured\n");
}

}  // namespace
}  // namespace rockpool
