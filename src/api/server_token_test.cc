// API tokens over HTTP on a real store (each engine): made with the password, used as Bearer,
// listed, revoked; what a token may not do; every answer checked against api/openapi.yaml.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/test_server.h"
#include "runtime/fake/fake_runtime.h"
#include "service/store_token_service.h"
#include "service/workspace_service_impl.h"
#include "store/testing/test_database.h"

namespace rockpool::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class ServerTokenTest : public ::testing::TestWithParam<rockpool::testing::Engine> {
 protected:
  ServerTokenTest() : db_(GetParam()) {}
  void SetUp() override {
    store_ = db_.Open(clock_);
    ASSERT_NE(store_, nullptr);
    queue_ = std::make_unique<JobQueue>(store_->jobs());
    service_ = std::make_unique<WorkspaceServiceImpl>(*store_, *queue_, runtime_);
    tokens_ = std::make_unique<StoreTokenService>(*store_, clock_, credentials_);
    server_ = std::make_unique<TestServer>(*service_, ApiOptions{}, SecurityOptions{},
                                           auth::SteadyClock::Instance(), tokens_.get());
    password_ = server_->NewClient();
    contract_ =
        std::make_unique<Contract>(std::move(Contract::Load(ROCKPOOL_OPENAPI_PATH)).value());
  }

  json Send(HttpClient& client, const HttpRequest& req, const std::string& operation, int status) {
    return SendAndCheck(client, *contract_, req, operation, status);
  }
  json Make(const std::string& body, int status = 201) {
    return Send(*password_, JsonRequest("POST", "/api/tokens", body), "createToken", status);
  }

  SystemClock clock_;
  rockpool::testing::TestDatabase db_;
  FakeRuntime runtime_;
  auth::FixedCredentialSource credentials_{BasicAuth{kTestUser, TestPasswordHash()}};
  std::unique_ptr<SqlStore> store_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<WorkspaceServiceImpl> service_;
  std::unique_ptr<StoreTokenService> tokens_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<CurlHttpClient> password_;
  std::unique_ptr<Contract> contract_;
};

INSTANTIATE_TEST_SUITE_P(Engines, ServerTokenTest, rockpool::testing::kEngines,
                         rockpool::testing::EngineName);

TEST_P(ServerTokenTest, ATokenMadeWithThePasswordWorksUntilRevoked) {
  json made = Make(R"({"name":"build server","expiresInDays":30})");
  ASSERT_TRUE(made.contains("token"));
  const std::string secret = made["token"];
  EXPECT_TRUE(made["expiresAt"].is_string());
  auto token = server_->NewTokenClient(secret);

  Send(*token, JsonRequest("POST", "/api/workspaces", R"({"name":"demo"})"), "createWorkspace",
       202);
  json listed = Send(*token, Request("GET", "/api/tokens"), "listTokens", 200);
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["items"][0]["name"], "build server");
  EXPECT_FALSE(listed["items"][0].contains("token")) << "a secret is shown only when made";
  EXPECT_TRUE(listed["items"][0]["lastUsedAt"].is_string());

  const std::string id = made["id"];
  Send(*token, Request("DELETE", "/api/tokens/" + id), "revokeToken", 204);
  json refused = Send(*token, Request("GET", "/api/workspaces"), "listWorkspaces", 401);
  EXPECT_THAT(refused["error"]["message"].get<std::string>(), HasSubstr("unknown or was revoked"));
  Send(*password_, Request("GET", "/api/workspaces"), "listWorkspaces", 200);
  Send(*password_, Request("DELETE", "/api/tokens/" + id), "revokeToken", 404);
}

TEST_P(ServerTokenTest, ATokenCannotMakeTokens) {
  const std::string secret = Make(R"({"name":"ci"})")["token"];
  auto token = server_->NewTokenClient(secret);
  json refused = Send(*token, JsonRequest("POST", "/api/tokens", R"({"name":"successor"})"),
                      "createToken", 403);
  EXPECT_THAT(refused["error"]["message"].get<std::string>(),
              HasSubstr("signed in with an API token cannot make tokens"));
  EXPECT_EQ(store_->tokens().List(kTestUser)->size(), 1u);
}

TEST_P(ServerTokenTest, BadRequestsSayWhatWasWrong) {
  Make(R"({"name":""})", 400);
  Make(R"({"name":" leading space"})", 400);
  Make(R"({"name":"x","expiresInDays":0})", 400);
  Make(R"({"name":"x","expiresInDays":3651})", 400);
  Make(R"({"name":"x","scope":"all"})", 400);
  Make(R"({"name":")" + std::string(65, 'a') + R"("})", 400);
  Make(R"({"name":"laptop","expiresInDays":null})");
  json twice = Make(R"({"name":"laptop"})", 409);
  EXPECT_THAT(twice["error"]["message"].get<std::string>(),
              HasSubstr("already has a token named \"laptop\""));
  Send(*password_, Request("DELETE", "/api/tokens/not-a-uuid"), "revokeToken", 400);
  Send(*password_, Request("DELETE", "/api/tokens/00000000-0000-4000-8000-000000000000"),
       "revokeToken", 404);
  auto anonymous = server_->NewAnonymousClient();
  Send(*anonymous, Request("GET", "/api/tokens"), "listTokens", 401);
  auto forged = server_->NewTokenClient(auth::NewTokenSecret());
  Send(*forged, Request("GET", "/api/tokens"), "listTokens", 401);
  EXPECT_EQ(store_->tokens().List(kTestUser)->size(), 1u) << "nothing half-made";
}

}  // namespace
}  // namespace rockpool::api
