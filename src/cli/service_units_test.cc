#include "cli/service_units.h"

#include <unistd.h>

#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>

#include "proxy/caddy/caddy_daemon.h"
#include "sys/process.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;

class ServiceUnitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rp-units-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  UnitSettings Settings() {
    UnitSettings s;
    s.rockpool_binary = fs::read_symlink("/proc/self/exe").string();
    s.caddy_binary = "/usr/bin/caddy";
    s.caddy_dir = "/var/lib/rockpool-test/caddy";
    s.environment = {"ROCKPOOL_STATE_DIR=/var/lib/rockpool-test", "ROCKPOOL_CONTROL_PORT=18080",
                     "ROCKPOOL_HOST=dev box 100%"};
    return s;
  }
  fs::path dir_;
};

TEST_F(ServiceUnitsTest, RendersSettingsAsEnvironmentWithNothingLeftToFill) {
  auto units = RenderUnits(Settings());
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0].name, "rockpool.service");
  EXPECT_EQ(units[1].name, "rockpool-caddy.service");
  for (const auto& u : units) {
    EXPECT_EQ(u.text.find('@'), std::string::npos) << u.text;
    EXPECT_NE(u.text.find("Environment=ROCKPOOL_CONTROL_PORT=18080\n"), std::string::npos);
    // Spaces are quoted and % (a systemd specifier) is doubled.
    EXPECT_NE(u.text.find("Environment=\"ROCKPOOL_HOST=dev box 100%%\"\n"), std::string::npos)
        << u.text;
    EXPECT_NE(u.text.find("Restart=always"), std::string::npos);
  }
  EXPECT_NE(units[0].text.find("ExecStart=" + Settings().rockpool_binary + " serve\n"),
            std::string::npos);
  EXPECT_NE(units[0].text.find("After=network-online.target lxd.socket lxd.service "
                               "rockpool-caddy.service"),
            std::string::npos);
  EXPECT_NE(units[0].text.find("Wants=network-online.target lxd.socket rockpool-caddy.service"),
            std::string::npos);
}

TEST_F(ServiceUnitsTest, CaddyUnitRunsWhatCaddyDaemonRuns) {
  Config config;
  config.state_dir = (dir_ / "state").string();
  Context ctx(config);
  const UnitSettings s = UnitSettingsFor(ctx);
  EXPECT_NE(s.serve_unit, "rockpool.service") << "a private deployment must not take the name";
  const ProcessSpec run = ctx.caddy().RunSpec();
  const std::string caddy_unit = RenderUnits(s)[1].text;
  std::vector<std::string> argv = run.argv;
  argv[0] = s.caddy_binary;
  EXPECT_NE(caddy_unit.find("ExecStart=" + CommandLine(argv) + "\n"), std::string::npos)
      << caddy_unit;
  for (const std::string& env : run.env) {
    EXPECT_NE(caddy_unit.find("\"" + env + "\""), std::string::npos) << env;
  }
  EXPECT_NE(caddy_unit.find("WorkingDirectory=-" + run.cwd), std::string::npos);
  EXPECT_NE(caddy_unit.find("Environment=ROCKPOOL_STATE_DIR=" + config.state_dir + "\n"),
            std::string::npos);
}

TEST_F(ServiceUnitsTest, SystemdAnalyzeVerifyAcceptsTheRenderedUnits) {
  if (access("/usr/bin/systemd-analyze", X_OK) != 0) GTEST_SKIP() << "no systemd-analyze";
  UnitSettings s = Settings();
  s.caddy_binary = "/bin/true";  // verify checks that the executables exist
  std::vector<std::string> argv = {"systemd-analyze", "verify", "--man=no"};
  for (const auto& u : RenderUnits(s)) {
    std::ofstream((dir_ / u.name).string()) << u.text;
    argv.push_back((dir_ / u.name).string());
  }
  RealProcessRunner runner;
  auto r = runner.Run({.argv = argv});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->exit_code, 0) << r->output;
  EXPECT_EQ(r->output, "") << "warnings are defects too";

  // And it does fail on a broken unit, so the check above means something.
  std::ofstream((dir_ / "broken.service").string()) << "[Service]\nExecStart=relative/path\n";
  auto broken = runner.Run(
      {.argv = {"systemd-analyze", "verify", "--man=no", (dir_ / "broken.service").string()}});
  ASSERT_TRUE(broken.ok());
  EXPECT_NE(broken->exit_code, 0) << broken->output;
}

}  // namespace
}  // namespace rockpool
