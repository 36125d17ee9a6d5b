// Attacks by another local user on the host (`nobody`): Caddy's admin endpoint, the control
// plane, and Rockpool's files.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "security_support.h"
#include "sys/process_lock.h"

namespace rockpool::security {
namespace {

namespace fs = std::filesystem;

const std::string kState = e2e::StateDir();
const std::string kLogs = e2e::ServeLog().substr(0, e2e::ServeLog().rfind('/'));

// The TCP ports process `pid` listens on (ss -ltnpH), so no port is probed that another
// Rockpool on this host, such as the deployment, might be listening on.
std::set<int> TcpListeningPorts(int pid) {
  auto r = e2e::RunCommand({"ss", "-ltnpH"});
  EXPECT_TRUE(r.ok() && r->exit_code == 0) << "ss -ltnpH";
  std::set<int> ports;
  if (!r.ok()) return ports;
  std::istringstream lines(r->output);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("pid=" + std::to_string(pid) + ",") == std::string::npos) continue;
    std::istringstream fields(line);
    std::string state, recv_q, send_q, local;
    fields >> state >> recv_q >> send_q >> local;
    ports.insert(std::atoi(local.substr(local.rfind(':') + 1).c_str()));
  }
  return ports;
}

int EnvPort(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? 0 : std::atoi(v);
}

class HostAttackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status hermetic = e2e::CheckPrivateDeployment();
    ASSERT_TRUE(hermetic.ok()) << hermetic.message();
    ASSERT_TRUE(fs::exists(kState + "/auth.json")) << "the private Rockpool is not up";
    // The checks below are only worth something if nobody can run commands at all.
    auto id = AsNobody({"id", "-u"});
    ASSERT_TRUE(id.ok()) << id.status().message();
    ASSERT_EQ(id->output, "65534\n") << id->output;
  }
};

TEST_F(HostAttackTest, NobodyCannotReachCaddysAdminEndpoint) {
  // No admin listener on TCP: the private Rockpool's Caddy listens on its two ports only.
  const std::string socket = kState + "/caddy/admin.sock";
  ASSERT_TRUE(fs::exists(socket)) << socket;
  const int caddy = UnixSocketServerPid(socket);
  ASSERT_GT(caddy, 0) << "no process serves " << socket;
  const std::set<int> expected = {EnvPort("ROCKPOOL_CONTROL_PORT"),
                                  EnvPort("ROCKPOOL_WORKSPACE_PORT")};
  EXPECT_EQ(TcpListeningPorts(caddy), expected) << "Caddy (pid " << caddy << ")";
  // The unix socket is root's: connecting, reading the config and loading one all fail.
  auto read =
      AsNobody({"curl", "-s", "-m", "5", "--unix-socket", socket, "http://localhost/config/"});
  ASSERT_TRUE(read.ok());
  EXPECT_NE(read->exit_code, 0) << "nobody read Caddy's config: " << read->output;
  auto load = AsNobody({"curl", "-s", "-m", "5", "--unix-socket", socket, "-X", "POST", "-H",
                        "Content-Type: application/json", "-d", "{}", "http://localhost/load"});
  ASSERT_TRUE(load.ok());
  EXPECT_NE(load->exit_code, 0) << "nobody loaded a Caddy config: " << load->output;
  // Root still can: the endpoint works, it is just not nobody's.
  // (Caddy wants an empty Host header on its unix socket.)
  EXPECT_EQ(CurlStatus({"--unix-socket", socket, "-H", "Host;", "http://localhost/config/"}),
            "200");
}

TEST_F(HostAttackTest, NobodyCannotCallTheControlPlaneDirectly) {
  // The control plane listens on no TCP port at all, only on its root-only unix sockets.
  const int serve = LockHolder(kState + "/serve.lock");
  ASSERT_GT(serve, 0) << "no control plane holds " << kState << "/serve.lock";
  EXPECT_TRUE(TcpListeningPorts(serve).empty()) << "rockpool serve (pid " << serve << ")";
  const std::string socket = kState + "/control.sock";
  ASSERT_TRUE(fs::exists(socket)) << socket;
  auto unix_call =
      AsNobody({"curl", "-s", "-m", "5", "--unix-socket", socket, "-X", "POST", "-H",
                "X-Rockpool-Request: cli", "http://localhost/api/workspaces/test/stop"});
  ASSERT_TRUE(unix_call.ok());
  EXPECT_NE(unix_call->exit_code, 0) << "nobody reached the control plane: " << unix_call->output;
}

TEST_F(HostAttackTest, NobodyCannotReadStateOrLogs) {
  for (const std::string& file : {kState + "/rockpool.db", kState + "/auth.json",
                                  kLogs + "/serve.log", kState + "/caddy/caddy.log"}) {
    if (!fs::exists(file)) continue;
    auto r = AsNobody({"cat", file});
    ASSERT_TRUE(r.ok());
    EXPECT_NE(r->exit_code, 0) << "nobody read " << file;
  }
  auto listing = AsNobody({"ls", kState});
  ASSERT_TRUE(listing.ok());
  EXPECT_NE(listing->exit_code, 0) << "nobody listed " << kState << ": " << listing->output;
  for (const std::string& dir : {kState, kLogs, kState + "/caddy"}) {
    struct stat st {};
    ASSERT_EQ(stat(dir.c_str(), &st), 0) << dir;
    EXPECT_EQ(st.st_mode & 077, 0u) << dir << " is open to group or others";
  }
  for (const auto& entry : fs::directory_iterator(kState)) {
    if (!entry.is_regular_file()) continue;
    struct stat st {};
    ASSERT_EQ(stat(entry.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 077, 0u) << entry.path() << " is open to group or others";
  }
}

}  // namespace
}  // namespace rockpool::security
