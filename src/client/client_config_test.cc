#include "client/client_config.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
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

namespace rockpool::client {
namespace {

class ClientTokenConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "rockpool-token-config-" + std::to_string(::getpid());
    file_ = dir_ + "/rockpool/config.json";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_, file_;
};

TEST_F(ClientTokenConfigTest, ATokenFromTheFileIsUsedUnlessAPasswordIsGivenAbove) {
  ASSERT_TRUE(UpdateConfigFile(file_,
                               {{"apiUrl", "http://devbox:8080"},
                                {"username", "admin"},
                                {"token", "rpt_file"},
                                {"tokenId", "id-1"}},
                               {})
                  .ok());
  auto c = ResolveClientConfig({}, Env({}), file_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->token, "rpt_file");
  EXPECT_EQ(c->token_id, "id-1");
  EXPECT_EQ(c->api_url, "http://devbox:8080");

  auto env_password = ResolveClientConfig({}, Env({{"ROCKPOOL_PASSWORD", "pw"}}), file_);
  EXPECT_EQ(env_password->token, "") << "a password in the environment outranks the file's token";
  EXPECT_EQ(env_password->password, "pw");

  auto env_token = ResolveClientConfig(
      {}, Env({{"ROCKPOOL_PASSWORD", "pw"}, {"ROCKPOOL_TOKEN", "rpt_env"}}), file_);
  EXPECT_EQ(env_token->token, "rpt_env");
  EXPECT_EQ(env_token->token_id, "") << "the file's id is not the environment token's";

  ClientFlags flags;
  flags.password = "from-flag";
  auto flag_password = ResolveClientConfig(flags, Env({{"ROCKPOOL_TOKEN", "rpt_env"}}), file_);
  EXPECT_EQ(flag_password->token, "");
  EXPECT_EQ(flag_password->password, "from-flag");
}

TEST_F(ClientTokenConfigTest, TheFileIsPrivateAndKeepsWhatItDoesNotTouch) {
  ASSERT_TRUE(UpdateConfigFile(file_, {{"workspacePort", 9081}, {"password", "old"}}, {}).ok());
  ASSERT_TRUE(UpdateConfigFile(file_, {{"token", "rpt_x"}}, {"password"}).ok());
  struct stat st {};
  ASSERT_EQ(::stat(file_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir_ + "/rockpool").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  auto c = ResolveClientConfig({}, Env({}), file_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->workspace_port, 9081);
  EXPECT_EQ(c->password, "") << "removed";
  EXPECT_EQ(c->token, "rpt_x");

  std::ofstream(file_) << "[1, 2]";
  Status broken = UpdateConfigFile(file_, {{"token", "rpt_y"}}, {});
  EXPECT_EQ(broken.code(), Code::kInvalidArgument);
  EXPECT_NE(broken.message().find("is not a JSON object"), std::string::npos);
}

}  // namespace
}  // namespace rockpool::client
