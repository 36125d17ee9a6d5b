// Every operation of api/openapi.yaml over real loopback HTTP: its success answer and each
// error answer, with every response body checked against the contract's schema for that
// operation and status code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/contract.h"
#include "api/fake_workspace_service.h"
#include "api/schema_validator.h"
#include "api/test_server.h"

namespace rockpool::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

struct Case {
  std::string name;
  HttpRequest request;
  std::string operation;  // empty: matches no operation (404/405 answers use the Error schema)
  int status;
  std::string error_code;  // expected error.code for 4xx/5xx
  std::string message;     // a substring of error.message
};

class ContractConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Contract::Load(ROCKPOOL_OPENAPI_PATH);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    contract_ = std::make_unique<Contract>(std::move(c).value());
    service_.Create({"running-ws", ""}).status().ok();
    service_.SetStatus("running-ws", WorkspaceStatus::kRunning);
    service_.AddPort("running-ws", 3000, "web").status().ok();
    service_.Create({"stopped-ws", ""}).status().ok();
    service_.SetStatus("stopped-ws", WorkspaceStatus::kStopped);
    service_.Create({"broken-ws", ""}).status().ok();
    service_.SetStatus("broken-ws", WorkspaceStatus::kError, "image missing");
    server_ = std::make_unique<TestServer>(service_);
    client_ = server_->NewClient();
  }

  // Checks the response against the schema the contract gives for this status.
  void ExpectConforms(const Case& c, const HttpResponse& r) {
    json schema;
    if (c.operation.empty()) {
      schema = contract_->Schema("Error");
    } else {
      const Operation* op = contract_->FindOperation(c.operation);
      ASSERT_NE(op, nullptr) << c.operation;
      auto it = op->responses.find(r.status);
      ASSERT_NE(it, op->responses.end())
          << c.name << ": status " << r.status << " is not in the contract for " << c.operation;
      schema = it->second;
    }
    if (schema.is_null()) {
      EXPECT_TRUE(r.body.empty()) << c.name << ": " << r.body;
      return;
    }
    EXPECT_THAT(r.Header("Content-Type"), HasSubstr("application/json")) << c.name;
    json body = json::parse(r.body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << c.name << ": not JSON: " << r.body;
    Status valid = ValidateAgainstSchema(schema, body, "response");
    EXPECT_TRUE(valid.ok()) << c.name << ": " << valid.ToString() << "\n" << r.body;
    if (r.status >= 400) {
      EXPECT_EQ(body["error"]["code"], c.error_code) << c.name;
      EXPECT_THAT(body["error"]["message"].get<std::string>(), HasSubstr(c.message)) << c.name;
    }
  }

  void Run(const std::vector<Case>& cases) {
    for (const auto& c : cases) {
      auto r = client_->Send(c.request);
      ASSERT_TRUE(r.ok()) << c.name << ": " << r.status().ToString();
      EXPECT_EQ(r->status, c.status) << c.name << ": " << r->body;
      ExpectConforms(c, *r);
    }
  }

  FakeWorkspaceService service_;
  std::unique_ptr<Contract> contract_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<CurlHttpClient> client_;
};

TEST_F(ContractConformanceTest, SuccessfulOperationsAnswerWhatTheContractSays) {
  Run({
      {"health", Request("GET", "/api/health"), "getHealth", 200, "", ""},
      {"list", Request("GET", "/api/workspaces"), "listWorkspaces", 200, "", ""},
      {"list page", Request("GET", "/api/workspaces?limit=1&cursor=o1"), "listWorkspaces", 200, "",
       ""},
      {"create", JsonRequest("POST", "/api/workspaces", R"({"name":"new-ws"})"), "createWorkspace",
       202, "", ""},
      {"create with image",
       JsonRequest("POST", "/api/workspaces", R"({"name":"new-ws2","image":"custom"})"),
       "createWorkspace", 202, "", ""},
      {"get by name", Request("GET", "/api/workspaces/running-ws"), "getWorkspace", 200, "", ""},
      {"get by id", Request("GET", "/api/workspaces/00000000-0000-4000-8000-000000000001"),
       "getWorkspace", 200, "", ""},
      {"get error ws", Request("GET", "/api/workspaces/broken-ws"), "getWorkspace", 200, "", ""},
      {"list ports", Request("GET", "/api/workspaces/running-ws/ports"), "listPorts", 200, "", ""},
      {"ide origin", Request("GET", "/api/workspaces/running-ws/origin"), "getOrigin", 200, "", ""},
      {"port origin", Request("GET", "/api/workspaces/running-ws/origin?port=3000"), "getOrigin",
       200, "", ""},
      {"add port", JsonRequest("POST", "/api/workspaces/running-ws/ports", R"({"port":8000})"),
       "addPort", 201, "", ""},
      {"add port with label",
       JsonRequest("POST", "/api/workspaces/running-ws/ports", R"({"port":8001,"label":"api"})"),
       "addPort", 201, "", ""},
      {"remove port", Request("DELETE", "/api/workspaces/running-ws/ports/8000"), "removePort", 204,
       "", ""},
      {"stop", Request("POST", "/api/workspaces/running-ws/stop"), "stopWorkspace", 202, "", ""},
      {"start", Request("POST", "/api/workspaces/stopped-ws/start"), "startWorkspace", 202, "", ""},
      {"delete", Request("DELETE", "/api/workspaces/broken-ws"), "deleteWorkspace", 202, "", ""},
  });
}

TEST_F(ContractConformanceTest, MalformedRequestsAre400WithAHelpfulMessage) {
  Run({
      {"bad json", JsonRequest("POST", "/api/workspaces", R"({"name":)"), "createWorkspace", 400,
       "invalid_argument", "body: malformed JSON"},
      {"not an object", JsonRequest("POST", "/api/workspaces", "[1]"), "createWorkspace", 400,
       "invalid_argument", "body: expected an object, got an array"},
      {"unknown field", JsonRequest("POST", "/api/workspaces", R"({"name":"ok-ws","x":1})"),
       "createWorkspace", 400, "invalid_argument",
       "body: unknown field \"x\"; allowed fields: idleTimeoutSeconds, image, limits, name"},
      {"missing name", JsonRequest("POST", "/api/workspaces", "{}"), "createWorkspace", 400,
       "invalid_argument", "missing required field \"name\""},
      {"bad name", JsonRequest("POST", "/api/workspaces", R"({"name":"Bad_Name"})"),
       "createWorkspace", 400, "invalid_argument",
       "body.name: invalid workspace name \"Bad_Name\": uppercase letters are not allowed"},
      {"name wrong type", JsonRequest("POST", "/api/workspaces", R"({"name":42})"),
       "createWorkspace", 400, "invalid_argument", "body.name: expected a string"},
      {"empty image", JsonRequest("POST", "/api/workspaces", R"({"name":"ok-ws","image":""})"),
       "createWorkspace", 400, "invalid_argument", "body.image"},
      {"no body", Request("POST", "/api/workspaces"), "createWorkspace", 400, "invalid_argument",
       "a JSON object is required"},
      {"port too low", JsonRequest("POST", "/api/workspaces/running-ws/ports", R"({"port":80})"),
       "addPort", 400, "invalid_argument",
       "body.port: 80 is out of range; use a value from 1024 to 65535"},
      {"port as string",
       JsonRequest("POST", "/api/workspaces/running-ws/ports", R"({"port":"3001"})"), "addPort",
       400, "invalid_argument", "body.port: expected an integer"},
      {"label too long",
       JsonRequest("POST", "/api/workspaces/running-ws/ports",
                   R"({"port":3001,"label":")" + std::string(65, 'a') + "\"}"),
       "addPort", 400, "invalid_argument", "body.label: is too long"},
      {"path port out of range", Request("DELETE", "/api/workspaces/running-ws/ports/99999"),
       "removePort", 400, "invalid_argument", "path.port: 99999 is out of range"},
      {"path port not a number", Request("DELETE", "/api/workspaces/running-ws/ports/web"),
       "removePort", 400, "invalid_argument", "path.port: expected an integer"},
      {"limit zero", Request("GET", "/api/workspaces?limit=0"), "listWorkspaces", 400,
       "invalid_argument", "query.limit: 0 is out of range; use a value from 1 to 100"},
      {"limit too high", Request("GET", "/api/workspaces?limit=101"), "listWorkspaces", 400,
       "invalid_argument", "query.limit: 101 is out of range"},
      {"limit not a number", Request("GET", "/api/workspaces?limit=ten"), "listWorkspaces", 400,
       "invalid_argument", "query.limit: expected an integer, got \"ten\""},
      {"unknown query", Request("GET", "/api/workspaces?sort=name"), "listWorkspaces", 400,
       "invalid_argument", "query: unknown parameter \"sort\""},
      {"bad cursor", Request("GET", "/api/workspaces?cursor=zzz"), "listWorkspaces", 400,
       "invalid_argument", "invalid cursor"},
  });
}

TEST_F(ContractConformanceTest, LimitsAreShownTakenAndBoundedByTheMaximums) {
  Run({
      {"create with limits",
       JsonRequest("POST", "/api/workspaces",
                   R"({"name":"lim-ws","limits":{"cpus":1.5,"memoryMib":4096}})"),
       "createWorkspace", 202, "", ""},
      {"create at the maximums",
       JsonRequest("POST", "/api/workspaces",
                   R"({"name":"max-ws","limits":{"cpus":2,"memoryMib":8192,"processes":4096,)"
                   R"("diskGib":50}})"),
       "createWorkspace", 202, "", ""},
      {"get shows limits", Request("GET", "/api/workspaces/lim-ws"), "getWorkspace", 200, "", ""},
      {"cpus above maximum",
       JsonRequest("POST", "/api/workspaces", R"({"name":"big-ws","limits":{"cpus":3}})"),
       "createWorkspace", 422, "out_of_range",
       "limits.cpus is 3, above this deployment's maximum of 2 cores"},
      {"memory above maximum",
       JsonRequest("POST", "/api/workspaces", R"({"name":"big-ws","limits":{"memoryMib":9000}})"),
       "createWorkspace", 422, "out_of_range", "limits.memoryMib is 9000"},
      {"huge disk",
       JsonRequest("POST", "/api/workspaces",
                   R"({"name":"big-ws","limits":{"diskGib":18446744073709551615}})"),
       "createWorkspace", 422, "out_of_range", "maximum of 50 GiB"},
      {"zero processes",
       JsonRequest("POST", "/api/workspaces", R"({"name":"bad-ws","limits":{"processes":0}})"),
       "createWorkspace", 400, "invalid_argument", "body.limits.processes"},
      {"negative cpus",
       JsonRequest("POST", "/api/workspaces", R"({"name":"bad-ws","limits":{"cpus":-1}})"),
       "createWorkspace", 400, "invalid_argument", "body.limits.cpus"},
      {"fractional memory",
       JsonRequest("POST", "/api/workspaces", R"({"name":"bad-ws","limits":{"memoryMib":1.5}})"),
       "createWorkspace", 400, "invalid_argument", "body.limits.memoryMib"},
      {"cpus as string",
       JsonRequest("POST", "/api/workspaces", R"({"name":"bad-ws","limits":{"cpus":"2"}})"),
       "createWorkspace", 400, "invalid_argument", "body.limits.cpus: expected a number"},
      {"cpus finer than 0.01",
       JsonRequest("POST", "/api/workspaces", R"({"name":"bad-ws","limits":{"cpus":0.125}})"),
       "createWorkspace", 400, "invalid_argument", "multiple of 0.01"},
      {"unknown limit",
       JsonRequest("POST", "/api/workspaces", R"({"name":"bad-ws","limits":{"gpus":1}})"),
       "createWorkspace", 400, "invalid_argument", "unknown field \"gpus\""},
  });
  auto ws = service_.Get("lim-ws");
  ASSERT_TRUE(ws.ok());
  EXPECT_EQ(ws->limits, (WorkspaceLimits{1.5, 4096, 1024, 10}));
  EXPECT_FALSE(service_.Get("big-ws").ok());
  EXPECT_FALSE(service_.Get("bad-ws").ok());
}

TEST_F(ContractConformanceTest, UnknownThingsAre404) {
  Run({
      {"unknown workspace", Request("GET", "/api/workspaces/nobody"), "getWorkspace", 404,
       "not_found", "workspace \"nobody\" not found"},
      {"start unknown", Request("POST", "/api/workspaces/nobody/start"), "startWorkspace", 404,
       "not_found", "nobody"},
      {"stop unknown", Request("POST", "/api/workspaces/nobody/stop"), "stopWorkspace", 404,
       "not_found", "nobody"},
      {"delete unknown", Request("DELETE", "/api/workspaces/nobody"), "deleteWorkspace", 404,
       "not_found", "nobody"},
      {"ports of unknown", Request("GET", "/api/workspaces/nobody/ports"), "listPorts", 404,
       "not_found", "nobody"},
      {"add port to unknown",
       JsonRequest("POST", "/api/workspaces/nobody/ports", R"({"port":3000})"), "addPort", 404,
       "not_found", "nobody"},
      {"unknown port", Request("DELETE", "/api/workspaces/running-ws/ports/4000"), "removePort",
       404, "not_found", "port 4000"},
      {"origin of unknown", Request("GET", "/api/workspaces/nobody/origin"), "getOrigin", 404,
       "not_found", "nobody"},
      {"origin of a port not forwarded",
       Request("GET", "/api/workspaces/running-ws/origin?port=4000"), "getOrigin", 404, "not_found",
       "forwards no port 4000"},
      {"origin of a port out of range", Request("GET", "/api/workspaces/running-ws/origin?port=80"),
       "getOrigin", 400, "invalid_argument", "query.port"},
      {"unknown route", Request("GET", "/api/nothing"), "", 404, "not_found",
       "no route GET /api/nothing"},
      {"outside api", Request("GET", "/"), "", 404, "not_found", "no route"},
  });
}

TEST_F(ContractConformanceTest, StateConflictsAndDuplicatesAre409) {
  Run({
      {"duplicate name", JsonRequest("POST", "/api/workspaces", R"({"name":"running-ws"})"),
       "createWorkspace", 409, "already_exists", "already exists"},
      {"start running", Request("POST", "/api/workspaces/running-ws/start"), "startWorkspace", 409,
       "conflict", "cannot start workspace \"running-ws\" while it is running"},
      {"stop stopped", Request("POST", "/api/workspaces/stopped-ws/stop"), "stopWorkspace", 409,
       "conflict", "cannot stop"},
      {"delete running", Request("DELETE", "/api/workspaces/running-ws"), "deleteWorkspace", 409,
       "conflict", "stop it first"},
      {"port on stopped",
       JsonRequest("POST", "/api/workspaces/stopped-ws/ports", R"({"port":3000})"), "addPort", 409,
       "conflict", "only while the workspace is running"},
      {"duplicate port",
       JsonRequest("POST", "/api/workspaces/running-ws/ports", R"({"port":3000})"), "addPort", 409,
       "already_exists", "forwarded already"},
  });
}

TEST_F(ContractConformanceTest, SixthPortIs409TooLarge) {
  for (int p = 3001; p <= 3004; ++p) {
    ASSERT_TRUE(service_.AddPort("running-ws", p, std::nullopt).ok());
  }
  Run({{"sixth port", JsonRequest("POST", "/api/workspaces/running-ws/ports", R"({"port":3005})"),
        "addPort", 409, "too_large", "remove one first"}});
}

TEST_F(ContractConformanceTest, WrongMethodIs405WithAllowHeader) {
  Run({{"put workspace", Request("PUT", "/api/workspaces/running-ws"), "", 405,
        "method_not_allowed", "PUT is not allowed on /api/workspaces/{id}; use GET, DELETE"},
       {"get start", Request("GET", "/api/workspaces/running-ws/start"), "", 405,
        "method_not_allowed", "use POST"}});
  auto r = client_->Send(Request("PATCH", "/api/workspaces"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Header("Allow"), "GET, POST");
}

TEST_F(ContractConformanceTest, OversizedBodyIs413) {
  std::string big = R"({"name":"big-ws","image":")" + std::string(70 * 1024, 'x') + "\"}";
  Run({{"body over 64 KiB", JsonRequest("POST", "/api/workspaces", big), "createWorkspace", 413,
        "too_large", "larger than 65536 bytes"}});
}

TEST_F(ContractConformanceTest, NonJsonBodyIs415) {
  HttpRequest form = JsonRequest("POST", "/api/workspaces", "name=x");
  form.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  HttpRequest none = JsonRequest("POST", "/api/workspaces/running-ws/ports", R"({"port":3001})");
  none.headers = {{"Content-Type", "text/plain"}};
  Run({{"form body", form, "createWorkspace", 415, "unsupported_media_type",
        "send the body as application/json"},
       {"text body", none, "addPort", 415, "unsupported_media_type", "text/plain"}});
}

TEST_F(ContractConformanceTest, SecurityRefusalsAnswerWhatTheContractSays) {
  auto anonymous = server_->NewAnonymousClient();
  const Headers right = BasicAuthHeader(kTestUser, kTestPassword);
  const Headers wrong = BasicAuthHeader(kTestUser, "wrong");
  auto with = [](HttpRequest r, Headers h) {
    r.headers.insert(r.headers.end(), h.begin(), h.end());
    return r;
  };
  const std::vector<Case> cases = {
      {"no credentials", Request("GET", "/api/workspaces"), "listWorkspaces", 401,
       "unauthenticated", "no credentials were sent"},
      {"metrics need credentials", Request("GET", "/api/metrics"), "getMetrics", 401,
       "unauthenticated", "sign in"},
      {"cross-site form",
       with(Request("POST", "/api/workspaces/running-ws/stop"),
            {right[0],
             {"Content-Type", "application/x-www-form-urlencoded"},
             {"Origin", "http://evil.example"}}),
       "stopWorkspace", 403, "forbidden", "refused POST /api/workspaces/running-ws/stop"},
      {"cross-site delete",
       with(Request("DELETE", "/api/workspaces/stopped-ws"),
            {right[0], {"Sec-Fetch-Site", "cross-site"}}),
       "deleteWorkspace", 403, "forbidden", "Sec-Fetch-Site: cross-site"},
  };
  auto run = [&](const Case& c) {
    auto r = anonymous->Send(c.request);
    ASSERT_TRUE(r.ok()) << c.name;
    EXPECT_EQ(r->status, c.status) << c.name << ": " << r->body;
    ExpectConforms(c, *r);
  };
  for (const auto& c : cases) run(c);
  for (int i = 0; i < 5; ++i) {
    run({"wrong password", with(Request("GET", "/api/workspaces/running-ws"), wrong),
         "getWorkspace", 401, "unauthenticated", "the username or password is wrong"});
  }
  run({"throttled", with(Request("GET", "/api/workspaces/running-ws"), right), "getWorkspace", 429,
       "rate_limited", "too many wrong sign-ins"});
  EXPECT_THAT(service_.calls(), ::testing::Not(::testing::Contains(HasSubstr("Stop"))));
}

TEST_F(ContractConformanceTest, ServiceFailuresMapToTheirStatus) {
  service_.FailNextCall(Status::Unavailable("store: database is locked"));
  Run({{"unavailable", Request("GET", "/api/workspaces"), "listWorkspaces", 503, "unavailable",
        "database is locked"}});
  service_.FailNextCall(Status::Internal("store: no such column"));
  Run({{"internal", Request("GET", "/api/workspaces/running-ws"), "getWorkspace", 500, "internal",
        "no such column"}});
}

TEST_F(ContractConformanceTest, SnapshotOperationsAnswerWhatTheContractSays) {
  Run({
      {"create snapshot", JsonRequest("POST", "/api/workspaces/running-ws/snapshots", R"({})"),
       "createSnapshot", 201, "", ""},
      {"create named snapshot",
       JsonRequest("POST", "/api/workspaces/stopped-ws/snapshots", R"({"name":"before"})"),
       "createSnapshot", 201, "", ""},
      {"list snapshots", Request("GET", "/api/workspaces/stopped-ws/snapshots"), "listSnapshots",
       200, "", ""},
      {"restore", Request("POST", "/api/workspaces/stopped-ws/snapshots/before/restore"),
       "restoreSnapshot", 202, "", ""},
      {"delete snapshot", Request("DELETE", "/api/workspaces/stopped-ws/snapshots/before"),
       "deleteSnapshot", 204, "", ""},
      {"unknown snapshot", Request("DELETE", "/api/workspaces/stopped-ws/snapshots/before"),
       "deleteSnapshot", 404, "not_found", "no snapshot"},
      {"restore running", Request("POST", "/api/workspaces/running-ws/snapshots/snap-1/restore"),
       "restoreSnapshot", 409, "conflict", "stop it first"},
      {"name not a string",
       JsonRequest("POST", "/api/workspaces/stopped-ws/snapshots", R"({"name":7})"),
       "createSnapshot", 400, "invalid_argument", "name"},
      {"unknown field",
       JsonRequest("POST", "/api/workspaces/stopped-ws/snapshots", R"({"label":"x"})"),
       "createSnapshot", 400, "invalid_argument", "label"},
  });
  EXPECT_THAT(service_.calls(), ::testing::Contains("RestoreSnapshot stopped-ws before"));
}

TEST_F(ContractConformanceTest, SnapshotConflictsAndUnsupportedRuntimesAnswerTheirStatus) {
  service_.FailNextCall(Status::InvalidArgument("invalid snapshot name \"A\": use lowercase"));
  Run({{"bad name", JsonRequest("POST", "/api/workspaces/stopped-ws/snapshots", R"({"name":"A"})"),
        "createSnapshot", 400, "invalid_argument", "invalid snapshot name"}});
  service_.FailNextCall(Status::AlreadyExists("already has a snapshot \"a\"; choose another"));
  Run({{"taken", JsonRequest("POST", "/api/workspaces/stopped-ws/snapshots", R"({"name":"a"})"),
        "createSnapshot", 409, "already_exists", "choose another"}});
  service_.FailNextCall(Status(Code::kUnimplemented, "tart: snapshots are not supported"));
  Run({{"tart", Request("GET", "/api/workspaces/stopped-ws/snapshots"), "listSnapshots", 501,
        "unimplemented", "not supported"}});
}

}  // namespace
}  // namespace rockpool::api

namespace rockpool::api {
namespace {

TEST_F(ContractConformanceTest, IdleTimeoutIsShownTakenChangedAndBounded) {
  Run({
      {"create with idle timeout",
       JsonRequest("POST", "/api/workspaces", R"({"name":"idle-ws","idleTimeoutSeconds":2700})"),
       "createWorkspace", 202, "", ""},
      {"create never idle",
       JsonRequest("POST", "/api/workspaces", R"({"name":"never-ws","idleTimeoutSeconds":0})"),
       "createWorkspace", 202, "", ""},
      {"patch idle timeout",
       JsonRequest("PATCH", "/api/workspaces/running-ws", R"({"idleTimeoutSeconds":600})"),
       "updateWorkspace", 200, "", ""},
      {"patch back to the default",
       JsonRequest("PATCH", "/api/workspaces/stopped-ws", R"({"idleTimeoutSeconds":null})"),
       "updateWorkspace", 200, "", ""},
      {"negative at create",
       JsonRequest("POST", "/api/workspaces", R"({"name":"bad-ws","idleTimeoutSeconds":-1})"),
       "createWorkspace", 400, "invalid_argument", "body.idleTimeoutSeconds"},
      {"above 30 days",
       JsonRequest("PATCH", "/api/workspaces/running-ws", R"({"idleTimeoutSeconds":2592001})"),
       "updateWorkspace", 400, "invalid_argument", "2592000"},
      {"as a string",
       JsonRequest("PATCH", "/api/workspaces/running-ws", R"({"idleTimeoutSeconds":"30m"})"),
       "updateWorkspace", 400, "invalid_argument", "body.idleTimeoutSeconds"},
      {"patch without the field", JsonRequest("PATCH", "/api/workspaces/running-ws", R"({})"),
       "updateWorkspace", 400, "invalid_argument", "idleTimeoutSeconds"},
      {"patch unknown workspace",
       JsonRequest("PATCH", "/api/workspaces/nope-ws", R"({"idleTimeoutSeconds":60})"),
       "updateWorkspace", 404, "not_found", "nope-ws"},
  });
  EXPECT_EQ(service_.Get("idle-ws")->idle_timeout_seconds, 2700);
  EXPECT_EQ(service_.Get("never-ws")->idle_timeout_seconds, 0);
  EXPECT_EQ(service_.Get("running-ws")->idle_timeout_seconds, 600);
  EXPECT_EQ(service_.Get("stopped-ws")->idle_timeout_seconds,
            FakeWorkspaceService::kDefaultIdleTimeoutSeconds);
  EXPECT_FALSE(service_.Get("bad-ws").ok());
}

TEST_F(ContractConformanceTest, RepositoriesAreTakenShownWithoutTheirTokenAndRetried) {
  Run({
      {"create from a repository",
       JsonRequest("POST", "/api/workspaces",
                   R"({"name":"repo-ws","repository":{"url":"https://git.example.com/a.git",)"
                   R"("ref":"main","token":"tok-secret"}})"),
       "createWorkspace", 202, "", ""},
      {"not https",
       JsonRequest("POST", "/api/workspaces",
                   R"({"name":"bad-ws","repository":{"url":"git@h:a/b.git"}})"),
       "createWorkspace", 400, "invalid_argument", "https://"},
      {"unknown field",
       JsonRequest("POST", "/api/workspaces",
                   R"({"name":"bad-ws","repository":{"url":"https://h/a.git","branch":"x"}})"),
       "createWorkspace", 400, "invalid_argument", "branch"},
      {"retry a clone that has not failed",
       JsonRequest("POST", "/api/workspaces/repo-ws/repository/clone", ""), "retryClone", 409,
       "conflict", ""},
      {"retry without a repository",
       JsonRequest("POST", "/api/workspaces/running-ws/repository/clone", ""), "retryClone", 404,
       "not_found", "no repository"},
  });
  auto ws = service_.Get("repo-ws");
  ASSERT_TRUE(ws.ok());
  ASSERT_TRUE(ws->source);
  EXPECT_EQ(ws->source->ref, "main");
  EXPECT_FALSE(service_.Get("bad-ws").ok());
}

}  // namespace
}  // namespace rockpool::api
