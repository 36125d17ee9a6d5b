// The `rockpool` executable against the real LXD daemon and the real Caddy that `rockpool up`
// started: the workspace lifecycle through the proxy, and the failure paths a person meets.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "auth/file_credential_source.h"
#include "auth/password_hash.h"
#include "e2e_support.h"
#include "http/curl_client.h"
#include "http/encoding.h"
#include "proxy/caddy/caddy_daemon.h"
#include "proxy/caddy/caddy_proxy.h"
#include "sys/process.h"

namespace rockpool {
namespace {

const char* kRockpool = ROCKPOOL_BINARY;

struct CliRun {
  int exit_code;
  std::string output;
};

CliRun Rockpool(std::vector<std::string> args, std::vector<std::string> env = {}) {
  RealProcessRunner runner;
  args.insert(args.begin(), kRockpool);
  auto r = runner.Run({.argv = args, .env = env});
  if (!r.ok()) return {-1, r.status().message()};
  return {r->exit_code, r->output};
}

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

bool InstanceExists(const std::string& instance) {
  RealProcessRunner runner;
  auto r = runner.Run({.argv = {"lxc", "info", instance}});
  return r.ok() && r->exit_code == 0;
}

HttpResponse GetThroughProxy(const std::string& target) {
  CurlHttpClient http(HttpEndpoint::Tcp(e2e::WorkspaceUrl()), BasicAuthFromEnvironment());
  auto r = http.Send({.target = target, .timeout = std::chrono::seconds(10)});
  return r.ok() ? *r : HttpResponse{};
}

std::string ProxyConfigDigest() {
  CurlHttpClient admin(CaddyAdminEndpoint(CaddyAdminSocketAddress(e2e::StateDir() + "/caddy")));
  auto r = admin.Send({.target = "/config/"});
  return r.ok() ? std::to_string(std::hash<std::string>{}(r->body)) : "unreachable";
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status hermetic = e2e::CheckPrivateDeployment();
    ASSERT_TRUE(hermetic.ok()) << hermetic.message();
    ASSERT_NE(ProxyConfigDigest(), "unreachable") << "the private Rockpool's Caddy is not up";
  }
};

TEST_F(CliTest, LifecycleThroughTheProxyKeepsFilesAndLeavesNothingBehind) {
  const std::string name = "it-life-" + std::to_string(getpid());
  const std::string instance = "rp-" + name;
  const std::string base = "/workspace/" + name + "/";
  const std::string digest = ProxyConfigDigest();

  CliRun create = Rockpool({"ws", "create", name});
  ASSERT_EQ(create.exit_code, 0) << create.output;
  EXPECT_EQ(GetThroughProxy(base + "healthz").status, 200);
  CliRun verify = Rockpool({"verify", name});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;

  RealProcessRunner runner;
  auto wrote = runner.Run({.argv = {"lxc", "exec", instance, "--", "sh", "-c",
                                    "echo kept > /home/admin/workspace/kept.txt"}});
  ASSERT_TRUE(wrote.ok() && wrote->exit_code == 0);

  ASSERT_EQ(Rockpool({"ws", "stop", name}).exit_code, 0);
  HttpResponse stopped = GetThroughProxy(base);
  EXPECT_NE(stopped.status, 200);
  EXPECT_NE(stopped.body.find("not running"), std::string::npos) << stopped.body;

  ASSERT_EQ(Rockpool({"ws", "start", name}).exit_code, 0);
  EXPECT_EQ(GetThroughProxy(base + "healthz").status, 200);
  auto read = runner.Run(
      {.argv = {"lxc", "exec", instance, "--", "cat", "/home/admin/workspace/kept.txt"}});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->output, "kept\n");

  ASSERT_EQ(Rockpool({"ws", "stop", name}).exit_code, 0);
  ASSERT_EQ(Rockpool({"ws", "rm", name}).exit_code, 0);
  EXPECT_FALSE(InstanceExists(instance));
  EXPECT_FALSE(std::filesystem::exists(e2e::SocketDir() + "/" + name + ".sock"));
  EXPECT_NE(GetThroughProxy(base).status, 200);
  EXPECT_EQ(Rockpool({"ws", "show", name}).exit_code, 1);
  // The lifecycle never touched the proxy's config (that would drop everyone's WebSockets).
  EXPECT_EQ(ProxyConfigDigest(), digest);
}

TEST_F(CliTest, InvalidNameIsRejectedBeforeAnythingIsCreated) {
  CliRun r = Rockpool({"workspace", "create", "Bad_Name"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(Lines(r.output), 1) << r.output;
  EXPECT_NE(r.output.find("invalid workspace name \"Bad_Name\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("lowercase letters, digits and hyphens"), std::string::npos);
}

TEST_F(CliTest, MissingImageSaysHowToBuildItAndLeavesNothing) {
  const std::string name = "it-noimg-" + std::to_string(getpid());
  CliRun r = Rockpool({"ws", "create", name, "--image", "rp-no-such-image"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(Lines(r.output), 1) << r.output;
  EXPECT_NE(r.output.find("rp-no-such-image"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("rockpool image build"), std::string::npos) << r.output;
  EXPECT_FALSE(InstanceExists("rp-" + name));
  EXPECT_EQ(Rockpool({"ws", "show", name}).exit_code, 1);  // no row either
}

TEST_F(CliTest, DaemonNotRunningSaysHowToStartIt) {
  CliRun r = Rockpool({"up"}, {"ROCKPOOL_ENGINE_SOCKET=/tmp/rockpool-no-daemon.sock"});
  EXPECT_EQ(r.exit_code, 1);
  // One error line, after the credentials step that comes first.
  EXPECT_EQ(Lines(r.output.substr(r.output.find("error:"))), 1) << r.output;
  EXPECT_NE(r.output.find("/tmp/rockpool-no-daemon.sock"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("./scripts/up.sh"), std::string::npos) << r.output;
}

TEST_F(CliTest, PortInUseNamesTheProgramAndStartsNoProxy) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int busy = ntohs(addr.sin_port);
  const std::string state = ::testing::TempDir() + "rockpool-port-" + std::to_string(getpid());

  // A proxy of its own (its admin socket in `state` never answers), so the check runs before
  // starting it.
  // The check comes before `up` changes anything, the engine included: no project is made.
  const std::string project = "rpt-port-" + std::to_string(getpid());
  CliRun r = Rockpool({"up"}, {"ROCKPOOL_WORKSPACE_PORT=" + std::to_string(busy),
                               "ROCKPOOL_CONTROL_PORT=" + std::to_string(busy),
                               "ROCKPOOL_STATE_DIR=" + state, "ROCKPOOL_PROJECT=" + project});
  RealProcessRunner runner;
  auto made = runner.Run({.argv = {"lxc", "project", "show", project}});
  EXPECT_TRUE(made.ok() && made->exit_code != 0) << "up made LXD project " << project;
  if (made.ok() && made->exit_code == 0) {
    (void)runner.Run({.argv = {"lxc", "project", "delete", project}});
  }
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("error: port " + std::to_string(busy) + " is in use by"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("(pid "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ROCKPOOL_WORKSPACE_PORT"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(state + "/caddy/caddy.pid"));

  // The same for a port of the workspace origins' range, the control and workspace ports free.
  const auto free_port = [] {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    socklen_t n = sizeof a;
    bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
    close(s);
    return std::to_string(ntohs(a.sin_port));
  };
  CliRun in_range = Rockpool(
      {"up"}, {"ROCKPOOL_ORIGIN_PORTS=" + std::to_string(busy) + "-" + std::to_string(busy),
               "ROCKPOOL_CONTROL_PORT=" + free_port(), "ROCKPOOL_WORKSPACE_PORT=" + free_port(),
               "ROCKPOOL_STATE_DIR=" + state, "ROCKPOOL_PROJECT=" + project});
  EXPECT_EQ(in_range.exit_code, 1);
  EXPECT_NE(in_range.output.find("error: port " + std::to_string(busy) + " is in use by"),
            std::string::npos)
      << in_range.output;
  EXPECT_NE(in_range.output.find("inside the workspace origins' range"), std::string::npos)
      << in_range.output;
  EXPECT_NE(in_range.output.find("ROCKPOOL_ORIGIN_PORTS"), std::string::npos) << in_range.output;
  close(fd);
  EXPECT_FALSE(std::filesystem::exists(state + "/caddy/caddy.pid"));
  std::filesystem::remove_all(state);
}

// The tart runtime (macOS) has no host firewall for its VMs: serve refuses to run until that is
// accepted explicitly. Runs against a fake tart, on a state folder of its own; nothing starts.
TEST(CliTartTest, ServeOnTartRefusesUntilHostAccessIsAccepted) {
  const std::string dir = "/tmp/rockpool-cli-tart-" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/state");
  std::filesystem::create_directories(dir + "/tart");
  std::filesystem::permissions(dir + "/state", std::filesystem::perms::owner_all);
  auto hash = HashPassword("a-long-enough-password", TestPasswordHashCost());
  ASSERT_TRUE(hash.ok());
  ASSERT_TRUE(auth::WriteAuthFile(dir + "/state/auth.json", {"admin", *hash}).ok());
  const std::vector<std::string> env = {"ROCKPOOL_STATE_DIR=" + dir + "/state",
                                        "ROCKPOOL_LOG_DIR=" + dir + "/log",
                                        "ROCKPOOL_RUNTIME=tart",
                                        std::string("ROCKPOOL_TART=") + ROCKPOOL_FAKE_TART,
                                        "TART_HOME=" + dir + "/tart",
                                        "ROCKPOOL_CONTROL_PORT=1",
                                        "ROCKPOOL_WORKSPACE_PORT=1"};

  CliRun serve = Rockpool({"serve"}, env);
  EXPECT_EQ(serve.exit_code, 1) << serve.output;
  EXPECT_NE(serve.output.find("no host firewall for Tart VMs"), std::string::npos) << serve.output;
  EXPECT_NE(serve.output.find("ROCKPOOL_TART_ALLOW_HOST_ACCESS=1"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir + "/state/control.sock")) << "nothing was served";

  std::vector<std::string> ports = env;
  ports.push_back("ROCKPOOL_ORIGIN_PORTS=20000-20999");
  CliRun doctor = Rockpool({"doctor"}, ports);
  EXPECT_NE(doctor.output.find("FAIL host"), std::string::npos) << doctor.output;
  EXPECT_NE(doctor.output.find("ok   origins   each workspace IDE and forwarded port on an "
                               "origin of its own, ports 20000-20999"),
            std::string::npos)
      << doctor.output;

  // Path mode is a choice doctor warns about, not a failure of its own.
  std::vector<std::string> paths = env;
  paths.push_back("ROCKPOOL_ORIGIN_PORTS=off");
  CliRun warned = Rockpool({"doctor"}, paths);
  EXPECT_NE(warned.output.find("WARN origins   ROCKPOOL_ORIGIN_PORTS=off: every workspace is "
                               "served on paths of :1, one origin"),
            std::string::npos)
      << warned.output;
  EXPECT_NE(warned.output.find("fix: unset ROCKPOOL_ORIGIN_PORTS"), std::string::npos);

  std::vector<std::string> bogus = env;
  bogus[2] = "ROCKPOOL_RUNTIME=docker";
  CliRun wrong = Rockpool({"serve"}, bogus);
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.output.find("set it to incus (LXD) or tart"), std::string::npos) << wrong.output;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rockpool
