// The API server on the real WorkspaceServiceImpl (on each store engine: SQLite in a temp
// file, PostgreSQL in a database of its own; fake runtime): the whole request path of
// `rockpool serve` minus the worker, with responses checked against api/openapi.yaml.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/store_server_test.h"

namespace rockpool::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class ServerOnStoreTest : public StoreServerTest {
 protected:
  using StoreServerTest::Send;
  // Sends as the admin.
  json Send(const HttpRequest& req, const std::string& operation, int status) {
    return Send(*admin_, req, operation, status);
  }
};

INSTANTIATE_TEST_SUITE_P(Engines, ServerOnStoreTest, rockpool::testing::kEngines,
                         rockpool::testing::EngineName);

TEST_P(ServerOnStoreTest, CreateGetListAndConflictsConformToTheContract) {
  json ws =
      Send(JsonRequest("POST", "/api/workspaces", R"({"name":"demo"})"), "createWorkspace", 202);
  EXPECT_EQ(ws["status"], "creating");
  EXPECT_EQ(ws["image"], "rockpool-workspace");
  Send(Request("GET", "/api/workspaces/demo"), "getWorkspace", 200);
  Send(Request("GET", "/api/workspaces/" + ws["id"].get<std::string>()), "getWorkspace", 200);
  json dup =
      Send(JsonRequest("POST", "/api/workspaces", R"({"name":"demo"})"), "createWorkspace", 409);
  EXPECT_EQ(dup["error"]["code"], "already_exists");
  json early = Send(Request("DELETE", "/api/workspaces/demo"), "deleteWorkspace", 409);
  EXPECT_EQ(early["error"]["code"], "conflict");
  Send(Request("GET", "/api/workspaces/nobody"), "getWorkspace", 404);
  json port =
      Send(JsonRequest("POST", "/api/workspaces/demo/ports", R"({"port":3000})"), "addPort", 409);
  EXPECT_THAT(port["error"]["message"].get<std::string>(), HasSubstr("running"));
}

// The engine's 404 or 409 is not the client's: it answers 500 naming the engine, and the
// engine's own words stay in the log.
TEST_P(ServerOnStoreTest, EngineNotFoundOrAlreadyExistsOnAddPortIsAServerError) {
  runtime_.PutInstance("demo", {"rockpool-workspace", true});
  ASSERT_TRUE(store_->workspaces()
                  .Insert({"0b0e4d56-0d3a-4c1e-9a57-8f4f1f3e2a11", "demo",
                           WorkspaceStatus::kRunning, "rockpool-workspace", std::nullopt, "", ""})
                  .ok());
  for (const Status& engine : {Status::NotFound("incus: instance rp-demo: 404 not found"),
                               Status::AlreadyExists("incus: device port-3000: 409 exists")}) {
    runtime_.FailOn("AddPort", "demo", engine, 1);
    json port =
        Send(JsonRequest("POST", "/api/workspaces/demo/ports", R"({"port":3000})"), "addPort", 500);
    EXPECT_EQ(port["error"]["code"], "internal");
    EXPECT_THAT(port["error"]["message"].get<std::string>(), HasSubstr("container engine"));
    EXPECT_THAT(port["error"]["message"].get<std::string>(), ::testing::Not(HasSubstr("incus")));
  }
  json listed = Send(Request("GET", "/api/workspaces/demo/ports"), "listPorts", 200);
  EXPECT_TRUE(listed["items"].empty()) << listed;
  Send(JsonRequest("POST", "/api/workspaces/demo/ports", R"({"port":3000})"), "addPort", 201);
}

TEST_P(ServerOnStoreTest, PaginatesWithTheStoresCursor) {
  for (int i = 0; i < 5; ++i) {
    Send(JsonRequest("POST", "/api/workspaces", "{\"name\":\"ws-" + std::to_string(i) + "\"}"),
         "createWorkspace", 202);
  }
  std::vector<std::string> names;
  std::string target = "/api/workspaces?limit=2";
  for (int pages = 0; pages < 5; ++pages) {
    json page = Send(Request("GET", target), "listWorkspaces", 200);
    for (const auto& ws : page["items"]) names.push_back(ws["name"]);
    if (page["nextCursor"].is_null()) break;
    target = "/api/workspaces?limit=2&cursor=" + page["nextCursor"].get<std::string>();
  }
  // Pages follow (createdAt, id): creations within one millisecond may come in either order,
  // but every workspace appears exactly once.
  EXPECT_THAT(names, ::testing::UnorderedElementsAre("ws-0", "ws-1", "ws-2", "ws-3", "ws-4"));
  json bad = Send(Request("GET", "/api/workspaces?cursor=garbage"), "listWorkspaces", 400);
  EXPECT_EQ(bad["error"]["code"], "invalid_argument");
}

TEST_P(ServerOnStoreTest, ListAnswersFollowChangesMadeByAnotherProcess) {
  for (const char* name : {"alpha", "beta", "gamma"}) {
    Send(JsonRequest("POST", "/api/workspaces", std::string(R"({"name":")") + name + "\"}"),
         "createWorkspace", 202);
  }
  json first = Send(Request("GET", "/api/workspaces?limit=2"), "listWorkspaces", 200);
  ASSERT_EQ(first["items"].size(), 2u);
  const std::string cursor = first["nextCursor"];
  const std::string second_page = "/api/workspaces?limit=2&cursor=" + cursor;
  json rest = Send(Request("GET", second_page), "listWorkspaces", 200);
  ASSERT_EQ(rest["items"].size(), 1u);
  EXPECT_EQ(Send(Request("GET", "/api/workspaces?limit=2"), "listWorkspaces", 200), first);

  // The worker runs in its own process with its own connection to the database.
  auto worker_store = db_.Open(clock_);
  ASSERT_NE(worker_store, nullptr);
  const std::string id = first["items"][0]["id"];
  ASSERT_TRUE(worker_store->workspaces().UpdateStatus(id, WorkspaceStatus::kError, "boom").ok());
  json changed = Send(Request("GET", "/api/workspaces?limit=2"), "listWorkspaces", 200);
  EXPECT_EQ(changed["items"][0]["status"], "error");
  EXPECT_EQ(changed["items"][0]["statusReason"], "boom");

  const std::string last_id = rest["items"][0]["id"];
  ASSERT_TRUE(worker_store->workspaces().Delete(last_id).ok());
  json gone = Send(Request("GET", second_page), "listWorkspaces", 200);
  EXPECT_TRUE(gone["items"].empty()) << gone;
  Send(Request("GET", "/api/workspaces/" + last_id), "getWorkspace", 404);
}

TEST_P(ServerOnStoreTest, MetricsCountWorkspacesFromTheStore) {
  Send(JsonRequest("POST", "/api/workspaces", R"({"name":"demo"})"), "createWorkspace", 202);
  auto r = admin_->Send(Request("GET", "/api/metrics"));
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->body, HasSubstr("rockpool_workspaces{status=\"creating\"} 1"));
}

}  // namespace
}  // namespace rockpool::api
