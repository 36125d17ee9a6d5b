#include "client/api_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/fake_client.h"

namespace rockpool::client {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr const char* kWorkspace =
    R"({"id":"00000000-0000-4000-8000-000000000001","name":"demo","status":"creating",)"
    R"("image":"rockpool-workspace","statusReason":null,"createdAt":"2026-01-02T03:04:05Z",)"
    R"("updatedAt":"2026-01-02T03:04:05Z"})";

TEST(ApiClientTest, CreateSendsJsonBodyWithBasicAuth) {
  FakeHttpClient http;
  http.Enqueue(202, kWorkspace);
  ApiClient api(http, {"admin", "secret"});
  auto ws = api.Create("demo", "");
  ASSERT_TRUE(ws.ok()) << ws.status().ToString();
  EXPECT_EQ(ws->name, "demo");
  EXPECT_EQ(ws->status, WorkspaceStatus::kCreating);
  const auto req = http.requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/api/workspaces");
  EXPECT_EQ(req.body, R"({"name":"demo"})");
  EXPECT_THAT(req.headers, Contains(Pair("Content-Type", "application/json")));
  EXPECT_THAT(req.headers, Contains(Pair("Authorization", "Basic YWRtaW46c2VjcmV0")));
}

TEST(ApiClientTest, EveryCallSaysItComesFromTheCli) {
  FakeHttpClient http;
  http.Enqueue(202, kWorkspace);
  http.Enqueue(202, kWorkspace);
  http.Enqueue(204, "");
  ApiClient api(http);
  ASSERT_TRUE(api.Stop("demo").ok());
  ASSERT_TRUE(api.Get("demo").ok());
  ASSERT_TRUE(api.RemovePort("demo", 3000).ok());
  for (const auto& req : http.requests()) {
    EXPECT_THAT(req.headers, Contains(Pair("X-Rockpool-Request", "cli"))) << req.target;
  }
}

TEST(ApiClientTest, ServerErrorsBecomeStatusesWithTheServersMessage) {
  FakeHttpClient http;
  http.Enqueue(
      409,
      R"({"error":{"code":"conflict","message":"cannot start workspace \"demo\" while it is running"}})");
  ApiClient api(http);
  auto ws = api.Start("demo");
  EXPECT_EQ(ws.status().code(), Code::kConflict);
  EXPECT_EQ(ws.status().message(),
            "start workspace \"demo\": 409 cannot start workspace \"demo\" while it is running");
  EXPECT_EQ(http.requests().at(0).target, "/api/workspaces/demo/start");
}

TEST(ApiClientTest, UnauthorizedWithoutJsonBodySaysHowToLogIn) {
  FakeHttpClient http;
  http.Enqueue(401, "");
  ApiClient api(http);
  EXPECT_THAT(api.Get("demo").status().message(),
              HasSubstr("401 unauthorized; sign in with `rockpool login`, or pass --user"));
}

TEST(ApiClientTest, TransportFailureNamesTheOperation) {
  FakeHttpClient http;  // no response queued: the fake answers Unavailable
  ApiClient api(http);
  auto s = api.Health();
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("check API health: fake http"));
}

TEST(ApiClientTest, ListAllFollowsCursorsAndEncodesThem) {
  FakeHttpClient http;
  http.Enqueue(200, std::string(R"({"items":[)") + kWorkspace + R"(],"nextCursor":"a+b/c="})");
  http.Enqueue(200, std::string(R"({"items":[)") + kWorkspace + R"(],"nextCursor":null})");
  ApiClient api(http);
  auto all = api.ListAll();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ(http.requests().at(0).target, "/api/workspaces?limit=100");
  EXPECT_EQ(http.requests().at(1).target, "/api/workspaces?limit=100&cursor=a%2Bb%2Fc%3D");
}

TEST(ApiClientTest, PortsRoundTrip) {
  FakeHttpClient http;
  http.Enqueue(201, R"({"workspaceId":"x","port":3000,"label":"web","createdAt":"t"})");
  http.Enqueue(200, R"({"items":[{"workspaceId":"x","port":3000,"label":null,"createdAt":"t"}]})");
  http.Enqueue(204, "");
  ApiClient api(http);
  auto added = api.AddPort("demo", 3000, "web");
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->label, "web");
  auto ports = api.ListPorts("demo");
  ASSERT_TRUE(ports.ok());
  EXPECT_EQ(ports->at(0).label, std::nullopt);
  EXPECT_TRUE(api.RemovePort("demo", 3000).ok());
  EXPECT_EQ(http.requests().at(0).body, R"({"label":"web","port":3000})");
  EXPECT_EQ(http.requests().at(2).method, "DELETE");
  EXPECT_EQ(http.requests().at(2).target, "/api/workspaces/demo/ports/3000");
}

TEST(ApiClientTest, MalformedAnswerIsInternal) {
  FakeHttpClient http;
  http.Enqueue(200, R"({"name":"demo"})");
  ApiClient api(http);
  auto ws = api.Get("demo");
  EXPECT_EQ(ws.status().code(), Code::kInternal);
  EXPECT_THAT(ws.status().message(), HasSubstr("get workspace \"demo\": unexpected answer"));
}

}  // namespace
}  // namespace rockpool::client
