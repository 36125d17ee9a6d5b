#include "client/token_commands.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "http/fake_client.h"

namespace rockpool::client {
namespace {

constexpr char kMade[] = R"({"id":"5b8f3c1e-2a4d-4e6f-8a9b-0c1d2e3f4a5b","name":"laptop",
  "createdAt":"2026-01-01T00:00:00.000Z","expiresAt":"2026-03-31T00:00:00.000Z",
  "lastUsedAt":null,"token":"rpt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})";

class TokenCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "rockpool-login-" + std::to_string(::getpid());
    file_ = dir_ + "/config.json";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  ClientConfig Kept() {
    auto c = ResolveClientConfig(
        {}, [](const std::string&) { return std::optional<std::string>(); }, file_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : ClientConfig{};
  }

  std::string dir_, file_;
  std::ostringstream out_;
};

TEST_F(TokenCommandsTest, LoginMakesATokenWithThePasswordAndKeepsOnlyTheToken) {
  ASSERT_TRUE(UpdateConfigFile(file_, {{"password", "hunter2"}}, {}).ok());
  FakeHttpClient http;
  http.Enqueue(201, kMade);
  ApiClient api(http, {"admin", "hunter2", ""});
  Status s = Login(api, {file_, "http://devbox:8080", "admin", "laptop", 90}, out_);
  ASSERT_TRUE(s.ok()) << s.ToString();

  const std::vector<HttpRequest> requests = http.requests();
  ASSERT_EQ(requests.size(), 1u);
  const HttpRequest& sent = requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.target, "/api/tokens");
  EXPECT_EQ(sent.body, R"({"expiresInDays":90,"name":"laptop"})");
  bool basic = false;
  for (const auto& [k, v] : sent.headers) basic |= k == "Authorization" && v.starts_with("Basic ");
  EXPECT_TRUE(basic) << "the token is made with the password";

  ClientConfig kept = Kept();
  EXPECT_EQ(kept.api_url, "http://devbox:8080");
  EXPECT_EQ(kept.username, "admin");
  EXPECT_EQ(kept.token, "rpt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  EXPECT_EQ(kept.token_id, "5b8f3c1e-2a4d-4e6f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(kept.password, "") << "the password is not kept";
  EXPECT_NE(out_.str().find("expires 2026-03-31"), std::string::npos) << out_.str();
}

TEST_F(TokenCommandsTest, AFailedLoginLeavesTheFileAlone) {
  ASSERT_TRUE(UpdateConfigFile(file_, {{"token", "rpt_old"}}, {}).ok());
  FakeHttpClient http;
  http.Enqueue(
      401, R"({"error":{"code":"unauthenticated","message":"the username or password is wrong"}})");
  ApiClient api(http, {"admin", "wrong", ""});
  Status s = Login(api, {file_, "http://devbox:8080", "admin", "laptop", std::nullopt}, out_);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("the username or password is wrong"), std::string::npos);
  EXPECT_EQ(Kept().token, "rpt_old");
}

TEST_F(TokenCommandsTest, LogoutRevokesTheTokenAndForgetsIt) {
  ASSERT_TRUE(UpdateConfigFile(file_, {{"token", "rpt_x"}, {"tokenId", "id-1"}}, {}).ok());
  FakeHttpClient http;
  http.Enqueue(204, "");
  ApiClient api(http, {"", "", "rpt_x"});
  ASSERT_TRUE(Logout(api, file_, "id-1", out_).ok());
  ASSERT_EQ(http.requests().size(), 1u);
  EXPECT_EQ(http.requests()[0].method, "DELETE");
  EXPECT_EQ(http.requests()[0].target, "/api/tokens/id-1");
  EXPECT_EQ(Kept().token, "");
}

TEST_F(TokenCommandsTest, LogoutForgetsATokenTheServerNoLongerTakesButKeepsOneItCouldNotRevoke) {
  ASSERT_TRUE(UpdateConfigFile(file_, {{"token", "rpt_x"}, {"tokenId", "id-1"}}, {}).ok());
  FakeHttpClient down;
  down.Enqueue(503, R"({"error":{"code":"unavailable","message":"the store is down"}})");
  ApiClient unreachable(down, {"", "", "rpt_x"});
  EXPECT_FALSE(Logout(unreachable, file_, "id-1", out_).ok());
  EXPECT_EQ(Kept().token, "rpt_x") << "kept until it can be revoked";

  FakeHttpClient gone;
  gone.Enqueue(401, R"({"error":{"code":"unauthenticated","message":"the API token is unknown"}})");
  ApiClient revoked(gone, {"", "", "rpt_x"});
  EXPECT_TRUE(Logout(revoked, file_, "id-1", out_).ok());
  EXPECT_EQ(Kept().token, "");
}

}  // namespace
}  // namespace rockpool::client
