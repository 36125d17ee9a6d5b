#include "client/client_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

namespace rockpool::client {
namespace {

GetEnv Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& k) -> std::optional<std::string> {
    auto it = vars.find(k);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

class ClientConfigTest : public ::testing::Test {
 protected:
  void TearDown() override { std::remove(file_.c_str()); }
  void Write(const std::string& text) { std::ofstream(file_) << text; }
  std::string file_ = ::testing::TempDir() + "rockpool-client-config.json";
};

TEST_F(ClientConfigTest, DefaultsWithoutFileEnvOrFlags) {
  auto c = ResolveClientConfig({}, Env({}), "/nonexistent/config.json");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->api_url, "unix:/var/lib/rockpool/local.sock");
  EXPECT_EQ(c->UnixSocket(), "/var/lib/rockpool/local.sock");
  EXPECT_EQ(c->username, "");
}

TEST_F(ClientConfigTest, DefaultSocketFollowsTheStateDir) {
  auto c = ResolveClientConfig({}, Env({{"ROCKPOOL_STATE_DIR", "/srv/rp"}}), "/nonexistent");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->UnixSocket(), "/srv/rp/local.sock");
}

TEST_F(ClientConfigTest, WorkspaceUrlOfAUnixSocketApiNamesTheHost) {
  auto c = ResolveClientConfig({}, Env({{"ROCKPOOL_HOST", "devbox.lan"}}), "/nonexistent");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->WorkspaceUrl("demo"), "http://devbox.lan:8081/workspace/demo/");
  EXPECT_EQ(ClientConfig{}.WorkspaceUrl("demo"), "http://localhost:8081/workspace/demo/");
}

TEST_F(ClientConfigTest, FlagsBeatEnvironmentWhichBeatsTheFile) {
  Write(R"({"apiUrl":"http://file:1","username":"fileuser","password":"filepw"})");
  auto c = ResolveClientConfig(
      {"http://flag:3/", "", ""},
      Env({{"ROCKPOOL_API_URL", "http://env:2"}, {"ROCKPOOL_USERNAME", "envuser"}}), file_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->api_url, "http://flag:3");
  EXPECT_EQ(c->username, "envuser");
  EXPECT_EQ(c->password, "filepw");
}

TEST_F(ClientConfigTest, MalformedFileAndUrlAreErrors) {
  Write("not json");
  EXPECT_EQ(ResolveClientConfig({}, Env({}), file_).status().code(), Code::kInvalidArgument);
  auto c = ResolveClientConfig({"localhost:7163", "", ""}, Env({}), "/nonexistent");
  EXPECT_EQ(c.status().code(), Code::kInvalidArgument);
  c = ResolveClientConfig({"unix:relative.sock", "", ""}, Env({}), "/nonexistent");
  EXPECT_EQ(c.status().code(), Code::kInvalidArgument);
}

TEST_F(ClientConfigTest, WorkspaceUrlUsesTheApiHostAndWorkspacePort) {
  ClientConfig c;
  c.api_url = "http://devbox.lan:8080";
  EXPECT_EQ(c.WorkspaceUrl("demo"), "http://devbox.lan:8081/workspace/demo/");
  c.api_url = "http://[::1]:8080";
  c.workspace_port = 9000;
  EXPECT_EQ(c.WorkspaceUrl("demo"), "http://[::1]:9000/workspace/demo/");
}

TEST_F(ClientConfigTest, ConfigFileFollowsXdgConfigHome) {
  EXPECT_EQ(DefaultConfigFile(Env({{"HOME", "/home/me"}})),
            "/home/me/.config/rockpool/config.json");
  EXPECT_EQ(DefaultConfigFile(Env({{"XDG_CONFIG_HOME", "/x"}})), "/x/rockpool/config.json");
}

}  // namespace
}  // namespace rockpool::client
