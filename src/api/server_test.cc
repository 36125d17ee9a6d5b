#include "api/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>

#include <nlohmann/json.hpp>

#include "api/fake_workspace_service.h"
#include "api/test_server.h"

namespace rockpool::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

template <typename Pred>
bool PollUntil(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

TEST(ApiServerTest, AnswersHealthOverKeepAliveConnections) {
  FakeWorkspaceService service;
  TestServer server(service);
  auto client = server.NewClient();
  for (int i = 0; i < 3; ++i) {
    auto r = client->Send(Request("GET", "/api/health"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"status":"ok"})");
  }
}

TEST(ApiServerTest, CreateCallsTheServiceWithTheDefaultImage) {
  FakeWorkspaceService service;
  TestServer server(service);
  auto r = server.NewClient()->Send(JsonRequest("POST", "/api/workspaces", R"({"name":"demo"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 202);
  EXPECT_EQ(json::parse(r->body)["status"], "creating");
  EXPECT_THAT(service.calls(), ::testing::ElementsAre("Create demo rockpool-workspace"));
}

TEST(ApiServerTest, ListPassesLimitDefaultAndCursorToTheService) {
  FakeWorkspaceService service;
  TestServer server(service);
  auto client = server.NewClient();
  ASSERT_TRUE(client->Send(Request("GET", "/api/workspaces")).ok());
  ASSERT_TRUE(client->Send(Request("GET", "/api/workspaces?limit=7&cursor=o0")).ok());
  EXPECT_THAT(service.calls(), ::testing::ElementsAre("List 25 -", "List 7 o0"));
}

TEST(ApiServerTest, PaginatesThroughEveryWorkspace) {
  FakeWorkspaceService service;
  for (int i = 0; i < 5; ++i) service.Seed("ws-" + std::to_string(i), WorkspaceStatus::kRunning);
  TestServer server(service);
  auto client = server.NewClient();
  std::vector<std::string> names;
  std::string target = "/api/workspaces?limit=2";
  for (int pages = 0; pages < 10; ++pages) {
    auto r = client->Send(Request("GET", target));
    ASSERT_TRUE(r.ok());
    json page = json::parse(r->body);
    for (const auto& ws : page["items"]) names.push_back(ws["name"]);
    if (page["nextCursor"].is_null()) break;
    target = "/api/workspaces?limit=2&cursor=" + page["nextCursor"].get<std::string>();
  }
  EXPECT_THAT(names, ::testing::ElementsAre("ws-0", "ws-1", "ws-2", "ws-3", "ws-4"));
}

TEST(ApiServerTest, MetricsCountRequestsAndWorkspaces) {
  FakeWorkspaceService service;
  service.Seed("one", WorkspaceStatus::kRunning);
  TestServer server(service);
  auto client = server.NewClient();
  ASSERT_TRUE(client->Send(Request("GET", "/api/workspaces/one")).ok());
  ASSERT_TRUE(client->Send(Request("GET", "/api/workspaces/nobody")).ok());
  server.metrics().RecordJob("create", 3.5);
  auto r = client->Send(Request("GET", "/api/metrics"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_THAT(r->Header("Content-Type"), HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(r->body, HasSubstr("rockpool_http_requests_total{route=\"/api/workspaces/{id}\","
                                 "method=\"GET\",status=\"200\"} 1"));
  EXPECT_THAT(r->body, HasSubstr("status=\"404\"} 1"));
  EXPECT_THAT(r->body, HasSubstr("rockpool_workspaces{status=\"running\"} 1"));
  EXPECT_THAT(r->body, HasSubstr("rockpool_job_duration_seconds_count{kind=\"create\"} 1"));
}

TEST(ApiServerTest, ListenFailsWithAMessageWhenThePortIsTaken) {
  FakeWorkspaceService service;
  TestServer first(service);
  Metrics metrics;
  ApiOptions options;
  options.port = static_cast<uint16_t>(first.port());
  ApiServer second(options, service, metrics, first.gate());
  Status s = second.Listen();
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("bind 127.0.0.1:" + std::to_string(first.port())));
}

TEST(ApiServerTest, ListenFailsOnAMissingContractFile) {
  FakeWorkspaceService service;
  Metrics metrics;
  ApiOptions options;
  options.port = 0;
  options.openapi_path = "/nonexistent/openapi.yaml";
  auth::FixedCredentialSource credentials(BasicAuth{kTestUser, TestPasswordHash()});
  SecurityGate gate(credentials);
  ApiServer server(options, service, metrics, gate);
  EXPECT_THAT(server.Listen().message(), HasSubstr("/nonexistent/openapi.yaml"));
}

// Forwards to a fake but holds Get until released, to have a request in flight.
class BlockingService final : public WorkspaceService {
 public:
  explicit BlockingService(FakeWorkspaceService& inner) : inner_(inner) {}
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }
  std::atomic<int> waiting{0};

  Result<Workspace> Get(const std::string& ref) override {
    ++waiting;
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return released_; });
    return inner_.Get(ref);
  }
  Result<WorkspacePage> List(int l, const std::optional<std::string>& c,
                             const std::optional<std::string>& o) override {
    return inner_.List(l, c, o);
  }
  Result<Workspace> Create(const CreateWorkspaceRequest& r) override { return inner_.Create(r); }
  Result<Workspace> Start(const std::string& r) override { return inner_.Start(r); }
  Result<Workspace> Stop(const std::string& r) override { return inner_.Stop(r); }
  Result<Workspace> Delete(const std::string& r) override { return inner_.Delete(r); }
  Result<std::vector<Port>> ListPorts(const std::string& r) override { return inner_.ListPorts(r); }
  Result<Port> AddPort(const std::string& r, int p, const std::optional<std::string>& l) override {
    return inner_.AddPort(r, p, l);
  }
  Status RemovePort(const std::string& r, int p) override { return inner_.RemovePort(r, p); }
  Result<Workspace> RetryClone(const std::string& r) override { return inner_.RetryClone(r); }
  Result<std::map<WorkspaceStatus, int>> CountByStatus() override { return inner_.CountByStatus(); }

 private:
  FakeWorkspaceService& inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
};

TEST(ApiServerTest, StopFinishesInFlightRequestsAndClosesIdleConnections) {
  FakeWorkspaceService fake;
  fake.Seed("slow", WorkspaceStatus::kRunning);
  BlockingService service(fake);
  Metrics metrics;
  ApiOptions options;
  options.port = 0;
  options.threads = 2;
  auth::FixedCredentialSource credentials(BasicAuth{kTestUser, TestPasswordHash()});
  SecurityGate gate(credentials);
  ApiServer server(options, service, metrics, gate);
  ASSERT_TRUE(server.Listen().ok());
  std::thread run([&] { server.Run(); });
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());

  CurlHttpClient idle(HttpEndpoint::Tcp(url));  // keeps an idle keep-alive connection open
  ASSERT_TRUE(idle.Send(Request("GET", "/api/health")).ok());
  auto in_flight = std::async(std::launch::async, [&] {
    return CurlHttpClient(HttpEndpoint::Tcp(url), SignedInHeaders())
        .Send(Request("GET", "/api/workspaces/slow"));
  });
  ASSERT_TRUE(PollUntil([&] { return service.waiting.load() == 1; }));

  server.Stop();
  ASSERT_TRUE(PollUntil([&] {
    auto r = CurlHttpClient(HttpEndpoint::Tcp(url)).Send(Request("GET", "/api/health"));
    return !r.ok();
  })) << "the server still accepts connections after Stop()";
  service.Release();
  auto r = in_flight.get();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Connection"), "close");
  run.join();  // returns only because the idle connection was closed too
}

}  // namespace
}  // namespace rockpool::api
