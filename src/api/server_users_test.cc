// Accounts over HTTP on a real store (each engine): what admins and members may see and do, the
// 404 a member gets for another's workspace on every path (the API and the proxy's question
// about IDE and port URLs), and disabled accounts. Every answer checked against the contract.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/store_server_test.h"

namespace rockpool::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr char kMemberPassword[] = "member-password-1";

class ServerUsersTest : public StoreServerTest {
 protected:
  void SetUp() override {
    StoreServerTest::SetUp();
    for (const char* name : {"ann", "bob"}) {
      Send(*admin_,
           JsonRequest("POST", "/api/users",
                       json{{"username", name}, {"password", kMemberPassword}}.dump()),
           "createUser", 201);
    }
    ann_ = server_->NewClientAs("ann", kMemberPassword);
    bob_ = server_->NewClientAs("bob", kMemberPassword);
  }

  void MakeWorkspace(HttpClient& client, const std::string& name) {
    json made = Send(client, JsonRequest("POST", "/api/workspaces", json{{"name", name}}.dump()),
                     "createWorkspace", 202);
    EXPECT_EQ(made["name"], name);
  }
  std::vector<std::string> Names(HttpClient& client, const std::string& query = "") {
    json page = Send(client, Request("GET", "/api/workspaces" + query), "listWorkspaces", 200);
    std::vector<std::string> names;
    for (const auto& ws : page["items"]) names.push_back(ws["name"]);
    return names;
  }
  // The proxy's question: may this client reach `uri`?
  int Forwarded(HttpClient& client, const std::string& uri) {
    HttpRequest r = Request("GET", "/internal/authorize");
    r.headers.emplace_back("X-Forwarded-Uri", uri);
    auto answer = client.Send(r);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    return answer.ok() ? answer->status : 0;
  }

  std::unique_ptr<CurlHttpClient> ann_, bob_;
};

INSTANTIATE_TEST_SUITE_P(Engines, ServerUsersTest, rockpool::testing::kEngines,
                         rockpool::testing::EngineName);

TEST_P(ServerUsersTest, MembersSeeOnlyTheirOwnWorkspacesAndAdminsSeeAll) {
  MakeWorkspace(*ann_, "ann-ws");
  MakeWorkspace(*bob_, "bob-ws");
  MakeWorkspace(*admin_, "admin-ws");

  using Names_ = std::vector<std::string>;
  EXPECT_EQ(Names(*ann_), Names_{"ann-ws"});
  EXPECT_EQ(Names(*ann_, "?owner=bob"), Names_{});
  EXPECT_EQ(Names(*bob_), Names_{"bob-ws"});
  EXPECT_EQ(Names(*admin_), (Names_{"ann-ws", "bob-ws", "admin-ws"}));
  EXPECT_EQ(Names(*admin_, "?owner=bob"), Names_{"bob-ws"});
  json one = Send(*admin_, Request("GET", "/api/workspaces/ann-ws"), "getWorkspace", 200);
  EXPECT_EQ(one["owner"], "ann");

  // Names stay unique across the deployment.
  Send(*ann_, JsonRequest("POST", "/api/workspaces", R"({"name":"bob-ws"})"), "createWorkspace",
       409);
}

TEST_P(ServerUsersTest, AnotherMembersWorkspaceIsNotFoundOnEveryOperation) {
  MakeWorkspace(*bob_, "bob-ws");
  const json missing =
      Send(*ann_, Request("GET", "/api/workspaces/no-such-ws"), "getWorkspace", 404);
  const json foreign = Send(*ann_, Request("GET", "/api/workspaces/bob-ws"), "getWorkspace", 404);
  EXPECT_EQ(foreign["error"]["code"], missing["error"]["code"]);
  EXPECT_EQ(foreign["error"]["message"], "workspace \"bob-ws\" not found");
  const std::string id =
      Send(*bob_, Request("GET", "/api/workspaces/bob-ws"), "getWorkspace", 200)["id"];
  // A workspace named after bob's id would make the API (id first) and the proxy (name only)
  // mean different workspaces by /workspace/<id>/: such names are refused.
  json shaped = Send(*ann_, JsonRequest("POST", "/api/workspaces", json{{"name", id}}.dump()),
                     "createWorkspace", 400);
  EXPECT_THAT(shaped["error"]["message"].get<std::string>(), HasSubstr("shape of a workspace id"));
  EXPECT_EQ(Forwarded(*bob_, "/workspace/" + id + "/"), 404) << "the proxy finds names only";

  const struct {
    HttpRequest request;
    const char* operation;
  } kCalls[] = {
      {Request("GET", "/api/workspaces/" + id), "getWorkspace"},
      {Request("DELETE", "/api/workspaces/bob-ws"), "deleteWorkspace"},
      {JsonRequest("PATCH", "/api/workspaces/bob-ws", R"({"idleTimeoutSeconds":0})"),
       "updateWorkspace"},
      {Request("POST", "/api/workspaces/bob-ws/start"), "startWorkspace"},
      {Request("POST", "/api/workspaces/bob-ws/stop"), "stopWorkspace"},
      {Request("POST", "/api/workspaces/bob-ws/repository/clone"), "retryClone"},
      {Request("GET", "/api/workspaces/bob-ws/ports"), "listPorts"},
      {JsonRequest("POST", "/api/workspaces/bob-ws/ports", R"({"port":3000})"), "addPort"},
      {Request("DELETE", "/api/workspaces/bob-ws/ports/3000"), "removePort"},
      {Request("GET", "/api/workspaces/bob-ws/snapshots"), "listSnapshots"},
      {JsonRequest("POST", "/api/workspaces/bob-ws/snapshots", "{}"), "createSnapshot"},
      {Request("DELETE", "/api/workspaces/bob-ws/snapshots/s1"), "deleteSnapshot"},
      {Request("POST", "/api/workspaces/bob-ws/snapshots/s1/restore"), "restoreSnapshot"},
  };
  for (const auto& call : kCalls) {
    json refused = Send(*ann_, call.request, call.operation, 404);
    EXPECT_EQ(refused["error"]["code"], "not_found") << call.operation;
  }
  // Nothing of bob's changed.
  json still = Send(*bob_, Request("GET", "/api/workspaces/bob-ws"), "getWorkspace", 200);
  EXPECT_EQ(still["status"], "creating");
  EXPECT_TRUE(Send(*bob_, Request("GET", "/api/workspaces/bob-ws/ports"), "listPorts", 200)["items"]
                  .empty());
  Send(*admin_, Request("GET", "/api/workspaces/bob-ws/ports"), "listPorts", 200);
}

TEST_P(ServerUsersTest, TheProxyIsToldToRefuseAnotherMembersIdeAndPorts) {
  MakeWorkspace(*ann_, "ann-ws");
  MakeWorkspace(*bob_, "bob-ws");
  EXPECT_EQ(Forwarded(*ann_, "/workspace/ann-ws/"), 204);
  EXPECT_EQ(Forwarded(*ann_, "/workspace/ann-ws/port/3000/x?y=1"), 204);
  EXPECT_EQ(Forwarded(*ann_, "/app/"), 204);
  EXPECT_EQ(Forwarded(*ann_, "/workspace/bob-ws/"), 404);
  EXPECT_EQ(Forwarded(*ann_, "/workspace/bob-ws/port/3000/"), 404);
  EXPECT_EQ(Forwarded(*ann_, "/workspace/no-such-ws/"), 404);
  EXPECT_EQ(Forwarded(*ann_, "/workspace/ann-ws/../bob-ws/"), 400);
  EXPECT_EQ(Forwarded(*ann_, "/workspace/ann-ws/%2e%2e/bob-ws/"), 400);
  EXPECT_EQ(Forwarded(*admin_, "/workspace/bob-ws/port/3000/"), 204);
  EXPECT_EQ(Forwarded(*bob_, "/workspace/bob-ws/"), 204);
}

TEST_P(ServerUsersTest, OnlyAdminsManageAccountsAndReadMetrics) {
  json me = Send(*ann_, Request("GET", "/api/me"), "getMe", 200);
  EXPECT_EQ(me, (json{{"username", "ann"}, {"role", "member"}, {"deployment", false}}));
  json admin = Send(*admin_, Request("GET", "/api/me"), "getMe", 200);
  EXPECT_EQ(admin["role"], "admin");
  EXPECT_EQ(admin["deployment"], true);

  Send(*ann_, Request("GET", "/api/users"), "listUsers", 403);
  HttpRequest make = JsonRequest(
      "POST", "/api/users",
      json{{"username", "eve"}, {"password", kMemberPassword}, {"role", "admin"}}.dump());
  Send(*ann_, make, "createUser", 403);
  HttpRequest promote = JsonRequest("PATCH", "/api/users/ann", R"({"role":"admin"})");
  Send(*ann_, promote, "updateUser", 403);
  Send(*ann_, Request("GET", "/api/metrics"), "getMetrics", 403);

  json all = Send(*admin_, Request("GET", "/api/users"), "listUsers", 200);
  ASSERT_EQ(all["items"].size(), 3u);
  EXPECT_EQ(all["items"][0]["username"], kTestUser);
  EXPECT_EQ(all["items"][0]["deployment"], true);
  EXPECT_EQ(all["items"][1]["username"], "ann");
  for (const auto& u : all["items"]) EXPECT_FALSE(u.contains("passwordHash"));

  // Bad input is refused with what to fix; the deployment's account is not changed here.
  Send(*admin_, JsonRequest("POST", "/api/users", R"({"username":"x","password":"long-enough-1"})"),
       "createUser", 400);
  Send(*admin_, JsonRequest("POST", "/api/users", R"({"username":"carl","password":"short"})"),
       "createUser", 400);
  Send(*admin_,
       JsonRequest("POST", "/api/users",
                   json{{"username", "ann"}, {"password", kMemberPassword}}.dump()),
       "createUser", 409);
  Send(*admin_,
       JsonRequest("PATCH", std::string("/api/users/") + kTestUser, R"({"disabled":true})"),
       "updateUser", 409);
  Send(*admin_, JsonRequest("PATCH", "/api/users/ann", "{}"), "updateUser", 400);
  Send(*admin_, Request("DELETE", "/api/users/nobody"), "deleteUser", 404);

  // A promoted member sees everything at its next request.
  MakeWorkspace(*bob_, "bob-ws");
  EXPECT_TRUE(Names(*ann_).empty());
  Send(*admin_, JsonRequest("PATCH", "/api/users/ann", R"({"role":"admin"})"), "updateUser", 200);
  EXPECT_EQ(Names(*ann_), std::vector<std::string>{"bob-ws"});
}

TEST_P(ServerUsersTest, ADisabledAccountAndItsTokensStopAtOnceAndAnOwnerIsNotDeleted) {
  json made =
      Send(*ann_, JsonRequest("POST", "/api/tokens", R"({"name":"laptop"})"), "createToken", 201);
  auto token = server_->NewTokenClient(made["token"]);
  MakeWorkspace(*token, "ann-ws");
  Send(*admin_, JsonRequest("PATCH", "/api/users/ann", R"({"disabled":true})"), "updateUser", 200);

  json refused = Send(*ann_, Request("GET", "/api/workspaces"), "listWorkspaces", 401);
  EXPECT_THAT(refused["error"]["message"].get<std::string>(), HasSubstr("disabled"));
  Send(*token, Request("GET", "/api/workspaces"), "listWorkspaces", 401);
  EXPECT_EQ(Forwarded(*ann_, "/workspace/ann-ws/"), 401);

  Send(*admin_, JsonRequest("PATCH", "/api/users/ann", R"({"disabled":false})"), "updateUser", 200);
  EXPECT_EQ(Names(*token), std::vector<std::string>{"ann-ws"});

  json owner = Send(*admin_, Request("DELETE", "/api/users/ann"), "deleteUser", 409);
  EXPECT_THAT(owner["error"]["message"].get<std::string>(), HasSubstr("\"ann-ws\""));
  Send(*admin_, Request("DELETE", "/api/users/bob"), "deleteUser", 204);
  Send(*bob_, Request("GET", "/api/workspaces"), "listWorkspaces", 401);
}

TEST_P(ServerUsersTest, AMemberChangesItsOwnPasswordWithTheCurrentOneButNotWithAToken) {
  const std::string body =
      json{{"currentPassword", kMemberPassword}, {"newPassword", "a-new-member-password"}}.dump();
  json made =
      Send(*ann_, JsonRequest("POST", "/api/tokens", R"({"name":"laptop"})"), "createToken", 201);
  auto token = server_->NewTokenClient(made["token"]);
  Send(*token, JsonRequest("POST", "/api/me/password", body), "changeMyPassword", 403);
  json wrong = Send(*ann_,
                    JsonRequest("POST", "/api/me/password",
                                json{{"currentPassword", "not-the-password"},
                                     {"newPassword", "a-new-member-password"}}
                                    .dump()),
                    "changeMyPassword", 403);
  EXPECT_THAT(wrong["error"]["message"].get<std::string>(), HasSubstr("current password is wrong"));
  Send(*admin_, JsonRequest("POST", "/api/me/password", body), "changeMyPassword", 409);

  Send(*ann_, JsonRequest("POST", "/api/me/password", body), "changeMyPassword", 204);
  Send(*ann_, Request("GET", "/api/workspaces"), "listWorkspaces", 401);
  auto renewed = server_->NewClientAs("ann", "a-new-member-password");
  EXPECT_EQ(Send(*renewed, Request("GET", "/api/me"), "getMe", 200)["username"], "ann");
  Send(*token, Request("GET", "/api/me"), "getMe", 200);  // tokens keep working
}

}  // namespace
}  // namespace rockpool::api
