#include "proxy/caddy/caddy_daemon.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "proxy/fake/fake_proxy.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;

// Records SpawnDaemon calls; "starting" Caddy makes the fake admin answer.
class RecordingRunner final : public ProcessRunner {
 public:
  explicit RecordingRunner(FakeProxy& admin) : admin_(admin) {}
  Result<ProcessResult> Run(const ProcessSpec&) override { return ProcessResult{0, ""}; }
  Result<int> SpawnDaemon(const ProcessSpec& spec, const std::string& log_file) override {
    spawned.push_back(spec);
    logs.push_back(log_file);
    if (!creates.empty()) std::ofstream(creates) << "";  // stands in for the admin socket
    admin_.FailPing(Status::Ok());
    return getpid();  // alive, and not a caddy: Stop() must leave it alone
  }
  std::vector<ProcessSpec> spawned;
  std::vector<std::string> logs;
  std::string creates;

 private:
  FakeProxy& admin_;
};

class CaddyDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rp-caddy-daemon-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    runner_.creates = (dir_ / "admin.sock").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  CaddyDaemonOptions Options() {
    CaddyDaemonOptions o;
    o.binary = "/usr/bin/caddy";
    o.state_dir = dir_.string();
    return o;
  }
  int Mode(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
  }
  fs::path dir_;
  FakeProxy admin_;
  RecordingRunner runner_{admin_};
};

TEST_F(CaddyDaemonTest, DoesNotStartCaddyWhenTheAdminApiAnswers) {
  CaddyDaemon daemon(runner_, admin_, Options());
  ASSERT_TRUE(daemon.EnsureRunning().ok());
  EXPECT_TRUE(runner_.spawned.empty());
}

TEST_F(CaddyDaemonTest, AdminListensOnASocketInTheStateDirByDefault) {
  CaddyDaemon daemon(runner_, admin_, Options());
  EXPECT_EQ(daemon.AdminAddress(), "unix/" + dir_.string() + "/admin.sock");
  EXPECT_EQ(CaddyAdminSocketAddress("/var/lib/rockpool/caddy"),
            "unix//var/lib/rockpool/caddy/admin.sock");
}

TEST_F(CaddyDaemonTest, RefusesATcpAdminAddressWithoutStartingCaddy) {
  admin_.FailPing(Status::Unavailable("refused"));
  CaddyDaemonOptions options = Options();
  for (const char* address : {"127.0.0.1:2019", "unix/relative.sock", "unix/"}) {
    options.admin_address = address;
    CaddyDaemon daemon(runner_, admin_, options);
    Status s = daemon.EnsureRunning();
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << address;
    EXPECT_NE(s.message().find("any local user"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(runner_.spawned.empty());
}

TEST_F(CaddyDaemonTest, MakesTheStateAndSocketFoldersPrivate) {
  fs::create_directories(dir_);
  chmod(dir_.c_str(), 0755);
  CaddyDaemonOptions options = Options();
  options.admin_address = "unix/" + (dir_ / "admin" / "caddy.sock").string();
  CaddyDaemon daemon(runner_, admin_, options);
  ASSERT_TRUE(daemon.EnsureRunning().ok());  // Caddy already answers: only the folders change
  EXPECT_EQ(Mode(dir_), 0700);
  EXPECT_EQ(Mode(dir_ / "admin"), 0700);
  EXPECT_TRUE(runner_.spawned.empty());
}

TEST_F(CaddyDaemonTest, RefusesASocketFolderThatIsNotAFolder) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "file") << "x";
  CaddyDaemonOptions options = Options();
  options.admin_address = "unix/" + (dir_ / "file" / "admin.sock").string();
  CaddyDaemon daemon(runner_, admin_, options);
  EXPECT_FALSE(daemon.EnsureRunning().ok());
}

TEST_F(CaddyDaemonTest, StartsCaddyWithStateDirAndAdminAddressThenWaits) {
  admin_.FailPing(Status::Unavailable("refused"));
  CaddyDaemon daemon(runner_, admin_, Options());
  ASSERT_TRUE(daemon.EnsureRunning().ok());
  ASSERT_EQ(runner_.spawned.size(), 1u);
  const ProcessSpec& spec = runner_.spawned[0];
  EXPECT_EQ(spec.argv, (std::vector<std::string>{"/usr/bin/caddy", "run", "--config",
                                                 daemon.InitialConfigFile()}));
  EXPECT_EQ(spec.env, (std::vector<std::string>{"XDG_DATA_HOME=" + dir_.string() + "/data",
                                                "XDG_CONFIG_HOME=" + dir_.string() + "/config"}));
  EXPECT_EQ(runner_.logs[0], daemon.LogFile());
  std::ifstream initial(daemon.InitialConfigFile());
  std::string text((std::istreambuf_iterator<char>(initial)), {});
  EXPECT_EQ(text, R"({"admin":{"listen":"unix/)" + dir_.string() + R"(/admin.sock"}})");
  EXPECT_EQ(Mode(dir_), 0700);
  EXPECT_EQ(Mode(dir_ / "admin.sock"), 0600);
  std::ifstream pid(daemon.PidFile());
  int recorded = 0;
  pid >> recorded;
  EXPECT_EQ(recorded, getpid());
}

TEST_F(CaddyDaemonTest, StopLeavesAProcessThatIsNotCaddyAlone) {
  admin_.FailPing(Status::Unavailable("refused"));
  CaddyDaemon daemon(runner_, admin_, Options());
  ASSERT_TRUE(daemon.EnsureRunning().ok());
  EXPECT_TRUE(daemon.Stop().ok());  // we are still here
  EXPECT_FALSE(fs::exists(daemon.PidFile()));
}

TEST_F(CaddyDaemonTest, StopWithoutPidFileIsOk) {
  CaddyDaemon daemon(runner_, admin_, Options());
  EXPECT_TRUE(daemon.Stop().ok());
}

}  // namespace
}  // namespace rockpool
