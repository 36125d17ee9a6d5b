// Attacks by another local user on the host (`nobody`): Caddy's admin endpoint, the control
// plane, and Rockpool's files.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "security_support.h"

namespace rockpool::security {
namespace {

namespace fs = std::filesystem;

const std::string kState = e2e::StateDir();
const std::string kLogs = e2e::ServeLog().substr(0, e2e::ServeLog().rfind('/'));

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
  // No admin listener on TCP any more, at the old address or Caddy's default.
  for (const char* address : {"127.0.0.1:2119", "127.0.0.1:2019"}) {
    auto r = AsNobody({"curl", "-s", "-m", "5", std::string("http://") + address + "/config/"});
    ASSERT_TRUE(r.ok());
    EXPECT_NE(r->exit_code, 0) << address << " answered: " << r->output;
  }
  // The unix socket is root's: connecting, reading the config and loading one all fail.
  const std::string socket = kState + "/caddy/admin.sock";
  ASSERT_TRUE(fs::exists(socket)) << socket;
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
  auto tcp = AsNobody(
      {"curl", "-s", "-m", "5", "-X", "POST", "http://127.0.0.1:7163/api/workspaces/test/stop"});
  ASSERT_TRUE(tcp.ok());
  EXPECT_NE(tcp->exit_code, 0) << "the control plane answered on TCP: " << tcp->output;
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
