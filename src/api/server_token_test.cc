// API tokens over HTTP on a real store (each engine): made with the password, used as Bearer,
// listed, revoked; what a token may not do; every answer checked against api/openapi.yaml.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/store_server_test.h"

namespace rockpool::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class ServerTokenTest : public StoreServerTest {
 protected:
  json Make(const std::string& body, int status = 201) {
    return Send(*admin_, JsonRequest("POST", "/api/tokens", body), "createToken", status);
  }
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
  Send(*admin_, Request("GET", "/api/workspaces"), "listWorkspaces", 200);
  Send(*admin_, Request("DELETE", "/api/tokens/" + id), "revokeToken", 404);
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
  Send(*admin_, Request("DELETE", "/api/tokens/not-a-uuid"), "revokeToken", 400);
  Send(*admin_, Request("DELETE", "/api/tokens/00000000-0000-4000-8000-000000000000"),
       "revokeToken", 404);
  auto anonymous = server_->NewAnonymousClient();
  Send(*anonymous, Request("GET", "/api/tokens"), "listTokens", 401);
  auto forged = server_->NewTokenClient(auth::NewTokenSecret());
  Send(*forged, Request("GET", "/api/tokens"), "listTokens", 401);
  EXPECT_EQ(store_->tokens().List(kTestUser)->size(), 1u) << "nothing half-made";
}

}  // namespace
}  // namespace rockpool::api
