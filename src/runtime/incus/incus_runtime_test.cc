#include "runtime/incus/incus_runtime.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "runtime/incus/fake_daemon_test_util.h"
#include "runtime/incus/hardening.h"
#include "runtime/incus/instance_names.h"

namespace rockpool::incus {
namespace {

using testing::Async;
using testing::FakeDaemon;
using ::testing::HasSubstr;
using testing::OperationDone;
using testing::Sync;

constexpr char kFingerprint[] = "d1337eb00d5ee5fba19039c359500f2bfaed6bcef2d0089f52014a77bdfb1fd8";

// Instance JSON the way GET /1.0/instances/<n> returns it (trimmed); with eth0 isolated.
Json InstanceJson(const std::string& name, const std::string& status, Json config,
                  Json devices = {{kNicDevice, HardenedNic({})}}) {
  return {{"name", name},       {"status", status},        {"config", std::move(config)},
          {"devices", devices}, {"profiles", {"default"}}, {"architecture", "x86_64"},
          {"ephemeral", false}, {"stateful", false},       {"description", ""}};
}

Json WorkspaceConfig(const std::string& ws) {
  Json config = HardenedConfig({});
  config[kLabelManaged] = "true";
  config[kLabelWorkspace] = ws;
  return config;
}

// A workspace instance that carries the default limits already, as the daemon returns it.
Json WorkspaceInstance(const std::string& ws, const std::string& status) {
  InstancePatch limits = LimitsPatch(WorkspaceLimits{}, "rockpool");
  Json config = WorkspaceConfig(ws);
  for (const auto& [key, value] : limits.config) config[key] = value;
  Json devices = limits.devices;
  devices[kNicDevice] = HardenedNic({});
  return InstanceJson(InstanceName(ws), status, config, devices);
}

class IncusRuntimeTest : public ::testing::Test {
 protected:
  IncusRuntimeTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("rp-incus-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    IncusRuntimeOptions options;
    options.socket_dir = dir_.string();
    options.health_poll_interval = std::chrono::milliseconds(1);
    runtime_ =
        std::make_unique<IncusRuntime>(daemon_.Client(), options, [this](const std::string& path) {
          health_socket_ = path;
          return std::make_unique<Forward>(&health_);
        });
    daemon_.On("GET", "/1.0/images/aliases/rp-img",
               Sync({{"name", "rp-img"}, {"target", kFingerprint}}));
    daemon_.On("GET", "/1.0/operations/", OperationDone());
    daemon_.On(
        "GET", "/1.0/profiles/default",
        Sync({{"name", "default"},
              {"devices", {{"root", {{"type", "disk"}, {"path", "/"}, {"pool", "rockpool"}}}}}}));
  }
  ~IncusRuntimeTest() override { std::filesystem::remove_all(dir_); }

  void HaveInstance(const Json& instance, const std::string& etag = "\"e1\"") {
    daemon_.HaveInstance(instance, etag);
  }
  void HaveReadyTemplate() {
    HaveInstance(InstanceJson("rp-tpl-d1337eb00d5e", "Stopped",
                              {{kLabelTemplate, "true"},
                               {kLabelTemplateReady, "true"},
                               {kLabelTemplateGeneration, kTemplateGeneration}}));
  }
  void Touch(const std::string& path) { std::ofstream(path) << ""; }
  // What Configure of the running "rp-abc" asks for: its keys, the file and a restart.
  void AcceptConfigureOfRunningAbc() {
    daemon_.On("PATCH", "/1.0/instances/rp-abc", Sync(Json::object()));
    daemon_.On("POST", "/1.0/instances/rp-abc/files", Sync(Json::object()));
    daemon_.On("POST", "/1.0/instances/rp-abc/exec", Async("op-exec"));
    daemon_.On("GET", "/1.0/operations/op-exec/wait", OperationDone({{"return", 0}}));
  }
  // Routes added later win: call after a route for all of "POST /1.0/instances".
  void NoSpare() {
    daemon_.On("POST", "/1.0/instances/rps-", testing::Error(404, "Instance not found"));
  }
  // The POSTs that create instances (not renames or execs).
  std::vector<HttpRequest> Creations() const {
    std::vector<HttpRequest> out;
    for (const auto& r : daemon_.Sent("POST", "/1.0/instances")) {
      if (r.target == "/1.0/instances") out.push_back(r);
    }
    return out;
  }

  struct Forward final : HttpClient {
    explicit Forward(FakeHttpClient* to) : to(to) {}
    Result<HttpResponse> Send(const HttpRequest& r) override { return to->Send(r); }
    std::string Endpoint() const override { return "health"; }
    FakeHttpClient* to;
  };

  std::filesystem::path dir_;
  FakeDaemon daemon_;
  FakeHttpClient health_;
  std::string health_socket_;
  std::unique_ptr<IncusRuntime> runtime_;
};

TEST_F(IncusRuntimeTest, CreateCopiesTheTemplateWithLabelsAndCodeSocket) {
  HaveReadyTemplate();
  daemon_.On("POST", "/1.0/instances", Async("op-create"));
  NoSpare();
  ASSERT_TRUE(runtime_->Create("9lives", "rp-img", {}).ok());

  auto posts = Creations();
  ASSERT_EQ(posts.size(), 1u);
  Json body = Json::parse(posts[0].body);
  EXPECT_EQ(body["name"], "rp-9lives");
  EXPECT_EQ(body["source"], Json({{"type", "copy"}, {"source", "rp-tpl-d1337eb00d5e"}}));
  EXPECT_EQ(body["profiles"], Json({"default"}));
  EXPECT_EQ(body["config"][kLabelWorkspace], "9lives");
  EXPECT_EQ(body["config"][kLabelManaged], "true");
  EXPECT_EQ(body["config"][kLabelTemplate], "false");
  Json code = body["devices"]["code"];
  EXPECT_EQ(code["type"], "proxy");
  EXPECT_EQ(code["listen"], "unix:" + dir_.string() + "/9lives.sock");
  EXPECT_EQ(code["connect"], "tcp:127.0.0.1:8080");
  EXPECT_EQ(code["bind"], "host");
  EXPECT_EQ(code["mode"], "0660");
  EXPECT_EQ(body["devices"]["eth0"], Json(HardenedNic({})));  // over the profile's
  EXPECT_EQ(body["config"]["security.idmap.isolated"], "true");
  EXPECT_EQ(body["config"]["security.devlxd"], "false");
  EXPECT_EQ(daemon_.Sent("GET", "/1.0/operations/op-create/wait").size(), 1u);
}

TEST_F(IncusRuntimeTest, CreatePreparesTheTemplateWhenMissing) {
  daemon_.On("POST", "/1.0/instances", Async("op-create"));
  NoSpare();
  bool ready = false;
  daemon_.On("GET", "/1.0/instances/rp-tpl-d1337eb00d5e", [&](const HttpRequest&) {
    if (!ready) return testing::Error(404, "Instance not found");
    return Sync(InstanceJson(
        "rp-tpl-d1337eb00d5e", "Stopped",
        {{kLabelTemplateReady, "true"}, {kLabelTemplateGeneration, kTemplateGeneration}}));
  });
  daemon_.On("PUT", "/1.0/instances/rp-tpl-d1337eb00d5e/state", Async("op-state"));
  daemon_.On("POST", "/1.0/instances/rp-tpl-d1337eb00d5e/exec", Async("op-exec"));
  daemon_.On("GET", "/1.0/operations/op-exec/wait",
             OperationDone({{"return", 0}, {"output", Json::object()}}));
  daemon_.On("PATCH", "/1.0/instances/rp-tpl-d1337eb00d5e", [&](const HttpRequest&) {
    ready = true;
    return Sync(Json::object());
  });

  ASSERT_TRUE(runtime_->Create("abc", "rp-img", {}).ok());

  std::vector<HttpRequest> posts;  // template, its exec, the workspace (after no spare)
  for (const auto& r : daemon_.Sent("POST", "/1.0/instances")) {
    if (r.target.rfind("/1.0/instances/rps-", 0) != 0) posts.push_back(r);
  }
  ASSERT_GE(posts.size(), 3u);
  Json tpl = Json::parse(posts[0].body);
  EXPECT_EQ(tpl["name"], "rp-tpl-d1337eb00d5e");
  EXPECT_EQ(tpl["source"], Json({{"type", "image"}, {"fingerprint", kFingerprint}}));
  EXPECT_EQ(tpl["config"][kLabelTemplate], "true");
  auto states = daemon_.Sent("PUT", "/1.0/instances/rp-tpl-d1337eb00d5e/state");
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(Json::parse(states[0].body)["action"], "start");
  EXPECT_EQ(Json::parse(states[1].body)["action"], "stop");
  Json exec = Json::parse(daemon_.Sent("POST", "/1.0/instances/rp-tpl-d1337eb00d5e/exec")[0].body);
  EXPECT_THAT(exec["command"][2].get<std::string>(), HasSubstr("/etc/machine-id"));
  EXPECT_EQ(Json::parse(posts.back().body)["name"], "rp-abc");
}

TEST_F(IncusRuntimeTest, ConcurrentCreatesBuildTheTemplateOnce) {
  std::mutex mu;
  bool ready = false;
  daemon_.On("POST", "/1.0/instances", Async("op-create"));
  daemon_.On("GET", "/1.0/instances/rp-tpl-d1337eb00d5e", [&](const HttpRequest&) {
    std::lock_guard lock(mu);
    if (!ready) return testing::Error(404, "Instance not found");
    return Sync(InstanceJson(
        "rp-tpl-d1337eb00d5e", "Stopped",
        {{kLabelTemplateReady, "true"}, {kLabelTemplateGeneration, kTemplateGeneration}}));
  });
  daemon_.On("PUT", "/1.0/instances/rp-tpl-d1337eb00d5e/state", Async("op-state"));
  daemon_.On("POST", "/1.0/instances/rp-tpl-d1337eb00d5e/exec", Async("op-exec"));
  daemon_.On("GET", "/1.0/operations/op-exec/wait", OperationDone({{"return", 0}}));
  daemon_.On("PATCH", "/1.0/instances/rp-tpl-d1337eb00d5e", [&](const HttpRequest&) {
    std::lock_guard lock(mu);
    ready = true;
    return Sync(Json::object());
  });
  std::vector<std::thread> workers;
  NoSpare();
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    workers.emplace_back([&, i] {
      if (!runtime_->Create("ws" + std::to_string(i), "rp-img", {}).ok()) ++failures;
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(failures, 0);
  int template_posts = 0;
  for (const auto& r : daemon_.Sent("POST", "/1.0/instances")) {
    if (r.target == "/1.0/instances" && Json::parse(r.body)["name"] == "rp-tpl-d1337eb00d5e") {
      ++template_posts;
    }
  }
  EXPECT_EQ(template_posts, 1);
}

TEST_F(IncusRuntimeTest, CreateRenamesTheSpareAndMakesItTheWorkspace) {
  HaveInstance(InstanceJson("rps-d1337eb00d5e", "Stopped",
                            {{kLabelSpare, "true"},
                             {kLabelSpareReady, "true"},
                             {kLabelTemplateGeneration, kTemplateGeneration}}));
  daemon_.On("POST", "/1.0/instances/rps-d1337eb00d5e", Async("op-rename"));
  daemon_.On("PATCH", "/1.0/instances/rp-abc", Sync(Json::object()));
  ASSERT_TRUE(runtime_->Create("abc", "rp-img", {}).ok());

  EXPECT_TRUE(Creations().empty());  // no copy, and the template is not even looked at
  EXPECT_TRUE(daemon_.Sent("GET", "/1.0/instances/rp-tpl-").empty());
  auto renames = daemon_.Sent("POST", "/1.0/instances/rps-d1337eb00d5e");
  ASSERT_EQ(renames.size(), 1u);
  EXPECT_EQ(Json::parse(renames[0].body), Json({{"name", "rp-abc"}}));
  EXPECT_EQ(daemon_.Sent("GET", "/1.0/operations/op-rename/wait").size(), 1u);
  auto patches = daemon_.Sent("PATCH", "/1.0/instances/rp-abc");
  ASSERT_EQ(patches.size(), 1u);
  Json patch = Json::parse(patches[0].body);
  EXPECT_EQ(patch["config"][kLabelWorkspace], "abc");
  EXPECT_EQ(patch["config"][kLabelSpare], "false");
  EXPECT_EQ(patch["config"][kLabelSpareReady], "false");
  EXPECT_EQ(patch["config"][kLabelTemplateAlias], "");
  EXPECT_EQ(patch["config"][kLabelImage], kFingerprint);
  EXPECT_EQ(patch["devices"]["code"]["listen"], "unix:" + dir_.string() + "/abc.sock");
}

TEST_F(IncusRuntimeTest, ASpareStillBeingMadeIsNotTakenButCopied) {
  HaveReadyTemplate();
  HaveInstance(InstanceJson("rps-d1337eb00d5e", "Stopped",
                            {{kLabelSpare, "true"}, {kLabelSpareReady, "false"}}));
  daemon_.On("POST", "/1.0/instances", Async("op-create"));
  ASSERT_TRUE(runtime_->Create("abc", "rp-img", {}).ok());
  EXPECT_TRUE(daemon_.Sent("POST", "/1.0/instances/rps-").empty()) << "not renamed";
  ASSERT_EQ(Creations().size(), 1u);
  EXPECT_EQ(Json::parse(Creations()[0].body)["source"]["source"], "rp-tpl-d1337eb00d5e");
  EXPECT_FALSE(*runtime_->IsPrewarmed("rp-img"));
}

TEST_F(IncusRuntimeTest, CreateFinishesAClaimThatWasInterrupted) {
  // Renamed from the spare, but the labels that make it the workspace never landed.
  HaveInstance(InstanceJson("rp-abc", "Stopped",
                            {{kLabelManaged, "true"},
                             {kLabelSpare, "true"},
                             {kLabelTemplateAlias, "rp-img"},
                             {kLabelImage, kFingerprint}}));
  daemon_.On("PATCH", "/1.0/instances/rp-abc", Sync(Json::object()));
  ASSERT_TRUE(runtime_->Create("abc", "rp-img", {}).ok());
  EXPECT_TRUE(daemon_.Sent("POST", "/1.0/instances").empty());
  auto patches = daemon_.Sent("PATCH", "/1.0/instances/rp-abc");
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_EQ(Json::parse(patches[0].body)["config"][kLabelWorkspace], "abc");
}

TEST_F(IncusRuntimeTest, PrewarmCopiesTheTemplateIntoOneSpare) {
  HaveReadyTemplate();
  daemon_.On("POST", "/1.0/instances", Async("op-create"));
  daemon_.On("PATCH", "/1.0/instances/rps-d1337eb00d5e", Sync(Json::object()));
  // Absent until the copy; then with its own id map, which its files do not have yet.
  daemon_.On("GET", "/1.0/instances/rps-d1337eb00d5e", [this](const HttpRequest&) {
    if (Creations().empty()) return testing::Error(404, "Instance not found");
    return Sync(InstanceJson("rps-d1337eb00d5e", "Stopped",
                             {{kLabelSpare, "true"},
                              {kLabelSpareReady, "false"},
                              {"volatile.idmap.next", "[isolated]"},
                              {"volatile.last_state.idmap", "[shared]"}}));
  });
  daemon_.On("PUT", "/1.0/instances/rps-d1337eb00d5e/state", Async("op-state"));
  EXPECT_FALSE(*runtime_->IsPrewarmed("rp-img"));
  ASSERT_TRUE(runtime_->Prewarm("rp-img").ok());
  auto posts = Creations();
  ASSERT_EQ(posts.size(), 1u);
  Json body = Json::parse(posts[0].body);
  EXPECT_EQ(body["name"], "rps-d1337eb00d5e");
  EXPECT_EQ(body["source"], Json({{"type", "copy"}, {"source", "rp-tpl-d1337eb00d5e"}}));
  EXPECT_EQ(body["config"][kLabelSpare], "true");
  EXPECT_EQ(body["config"][kLabelTemplate], "false");
  EXPECT_EQ(body["config"][kLabelTemplateAlias], "rp-img");
  EXPECT_EQ(body["config"][kLabelSpareReady], "false");  // until the copy has finished
  EXPECT_FALSE(body["config"].contains(kLabelWorkspace));
  EXPECT_EQ(body["config"]["security.idmap.isolated"], "true");
  EXPECT_EQ(body["devices"], Json({{"eth0", HardenedNic({})}}));
  // Started and stopped once, so its files are shifted before a create takes it.
  auto states = daemon_.Sent("PUT", "/1.0/instances/rps-d1337eb00d5e/state");
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(Json::parse(states[0].body)["action"], "start");
  EXPECT_EQ(Json::parse(states[1].body)["action"], "stop");
  auto patches = daemon_.Sent("PATCH", "/1.0/instances/rps-d1337eb00d5e");
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_EQ(Json::parse(patches[0].body)["config"][kLabelSpareReady], "true");
  auto requests = daemon_.requests();
  EXPECT_EQ(requests.back().method, "PATCH");  // ready only after the stop

  HaveInstance(InstanceJson("rps-d1337eb00d5e", "Stopped",
                            {{kLabelSpare, "true"},
                             {kLabelSpareReady, "true"},
                             {kLabelTemplateGeneration, kTemplateGeneration}}));
  EXPECT_TRUE(*runtime_->IsPrewarmed("rp-img"));
  ASSERT_TRUE(runtime_->Prewarm("rp-img").ok());
  EXPECT_EQ(Creations().size(), 1u);  // the spare is there: nothing to do
}

TEST_F(IncusRuntimeTest, CreateWithUnknownImageIsNotFound) {
  Status s = runtime_->Create("abc", "nope", {});
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr("incus: create instance rp-abc: image nope not found"));
}

TEST_F(IncusRuntimeTest, CreateOfExistingInstanceIsAlreadyExists) {
  HaveInstance(WorkspaceInstance("abc", "Stopped"));
  EXPECT_EQ(runtime_->Create("abc", "rp-img", {}).code(), Code::kAlreadyExists);
}

TEST_F(IncusRuntimeTest, StartRemovesStaleSocketsAndStartsExplicitly) {
  HaveInstance(WorkspaceInstance("abc", "Stopped"));
  daemon_.On("PUT", "/1.0/instances/rp-abc/state", Async("op-start"));
  Touch(runtime_->SocketPath("abc"));
  Touch(runtime_->PortSocketPath("abc", 3000));
  Touch(runtime_->SocketPath("abcd"));  // another workspace's socket stays
  ASSERT_TRUE(runtime_->Start("abc", {}).ok());
  EXPECT_FALSE(std::filesystem::exists(runtime_->SocketPath("abc")));
  EXPECT_FALSE(std::filesystem::exists(runtime_->PortSocketPath("abc", 3000)));
  EXPECT_TRUE(std::filesystem::exists(runtime_->SocketPath("abcd")));
  Json body = Json::parse(daemon_.Sent("PUT", "/1.0/instances/rp-abc/state")[0].body);
  EXPECT_EQ(body["action"], "start");
}

TEST_F(IncusRuntimeTest, StartIsolatesAnInstanceMadeBeforeIsolationFirst) {
  HaveInstance(InstanceJson("rp-abc", "Stopped",
                            {{kLabelManaged, "true"}, {kLabelWorkspace, "abc"}},
                            {{"eth0", {{"type", "nic"}, {"network", "rpbr0"}}}}));
  daemon_.On("PATCH", "/1.0/instances/rp-abc", Sync(Json::object()));
  daemon_.On("PUT", "/1.0/instances/rp-abc/state", Async("op-start"));
  ASSERT_TRUE(runtime_->Start("abc", WorkspaceLimits{}).ok());
  auto requests = daemon_.requests();
  size_t patch = 0, start = 0;  // the first patch: the hardening (the limits follow)
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].method == "PATCH" && patch == 0) patch = i;
    if (requests[i].method == "PUT") start = i;
  }
  ASSERT_GT(patch, 0u);
  EXPECT_LT(patch, start);
  Json body = Json::parse(requests[patch].body);
  EXPECT_EQ(body["config"]["security.idmap.isolated"], "true");
  EXPECT_EQ(body["config"]["security.devlxd"], "false");
  EXPECT_EQ(body["devices"]["eth0"], Json(HardenedNic({})));
}

TEST_F(IncusRuntimeTest, StartOfRunningInstanceDoesNothing) {
  HaveInstance(InstanceJson("rp-abc", "Running", WorkspaceConfig("abc")));
  ASSERT_TRUE(runtime_->Start("abc", {}).ok());
  EXPECT_TRUE(daemon_.Sent("PUT", "/1.0/instances/rp-abc/state").empty());
}

TEST_F(IncusRuntimeTest, StartFailureNamesInstanceAndDaemonMessage) {
  HaveInstance(WorkspaceInstance("abc", "Stopped"));
  daemon_.On("PUT", "/1.0/instances/rp-abc/state", Async("op-start"));
  daemon_.On("GET", "/1.0/operations/op-start/wait",
             Sync({{"status", "Failure"}, {"err", "Failed to run: forkstart"}}));
  Status s = runtime_->Start("abc", {});
  EXPECT_EQ(s.message(), "incus: start instance rp-abc: Failed to run: forkstart");
}

TEST_F(IncusRuntimeTest, StopForcesAfterGracefulStopFailsAndRemovesSockets) {
  HaveInstance(InstanceJson("rp-abc", "Running", WorkspaceConfig("abc")));
  int calls = 0;
  daemon_.On("PUT", "/1.0/instances/rp-abc/state",
             [&](const HttpRequest&) { return Async(++calls == 1 ? "op-graceful" : "op-force"); });
  daemon_.On("GET", "/1.0/operations/op-graceful/wait",
             Sync({{"status", "Failure"}, {"err", "Failed shutting down instance"}}));
  Touch(runtime_->SocketPath("abc"));
  ASSERT_TRUE(runtime_->Stop("abc").ok());
  auto states = daemon_.Sent("PUT", "/1.0/instances/rp-abc/state");
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(Json::parse(states[0].body)["force"], false);
  EXPECT_EQ(Json::parse(states[0].body)["timeout"], 5);
  EXPECT_EQ(Json::parse(states[1].body)["force"], true);
  EXPECT_FALSE(std::filesystem::exists(runtime_->SocketPath("abc")));
}

TEST_F(IncusRuntimeTest, RemoveOfMissingInstanceIsOkAndClearsSockets) {
  Touch(runtime_->PortSocketPath("abc", 8000));
  ASSERT_TRUE(runtime_->Remove("abc").ok());
  EXPECT_FALSE(std::filesystem::exists(runtime_->PortSocketPath("abc", 8000)));
}

TEST_F(IncusRuntimeTest, RemoveForceStopsThenDeletes) {
  HaveInstance(InstanceJson("rp-abc", "Running", WorkspaceConfig("abc")));
  daemon_.On("PUT", "/1.0/instances/rp-abc/state", Async("op-stop"));
  daemon_.On("DELETE", "/1.0/instances/rp-abc", Async("op-delete"));
  ASSERT_TRUE(runtime_->Remove("abc").ok());
  EXPECT_EQ(Json::parse(daemon_.Sent("PUT", "/1.0/instances/rp-abc/state")[0].body)["force"], true);
  EXPECT_EQ(daemon_.Sent("DELETE", "/1.0/instances/rp-abc").size(), 1u);
}

TEST_F(IncusRuntimeTest, ListReturnsOnlyLabelledWorkspaces) {
  Json ws = InstanceJson("rp-abc", "Running", WorkspaceConfig("abc"));
  ws["state"] = {{"network",
                  {{"eth0",
                    {{"addresses",
                      {{{"family", "inet"}, {"address", "10.187.42.5"}, {"scope", "global"}}}}}}}}};
  Json tpl =
      InstanceJson("rp-tpl-x", "Stopped", {{kLabelManaged, "true"}, {kLabelTemplate, "true"}});
  Json other = InstanceJson("someone-else", "Running", Json::object());
  daemon_.On("GET", "/1.0/instances?recursion=2", Sync({ws, tpl, other}));
  auto list = runtime_->List();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "abc");
  EXPECT_TRUE((*list)[0].running);
  EXPECT_EQ((*list)[0].address, "10.187.42.5");
}

// A cluster member that does not answer: its instances come with a name, a location and
// status Error, and null for the rest. Each is listed under the workspace it was last listed
// as, or whose plain instance name it has.
TEST_F(IncusRuntimeTest, ListNamesTheWorkspacesOfAClusterMemberThatDoesNotAnswer) {
  auto located = [](Json instance) {
    instance["location"] = "member3";
    return instance;
  };
  auto lost = [](const std::string& name) {
    return Json{{"name", name},      {"status", "Error"},  {"location", "member3"},
                {"config", nullptr}, {"devices", nullptr}, {"profiles", nullptr},
                {"state", nullptr},  {"architecture", ""}};
  };
  daemon_.On("GET", "/1.0/instances?recursion=2",
             Sync(Json::array({located(InstanceJson("rpw-0123456789ab-0000abcd", "Running",
                                                    WorkspaceConfig("claimed")))})));
  auto before = runtime_->List();
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ASSERT_EQ(before->size(), 1u);
  EXPECT_EQ((*before)[0].location, "member3");

  daemon_.On("GET", "/1.0/instances?recursion=2",
             Sync({lost("rpw-0123456789ab-0000abcd"), lost("rp-plain"), lost("someone-else")}));
  auto list = runtime_->List();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  for (const InstanceInfo& info : *list) {
    EXPECT_EQ(info.status, "Error");
    EXPECT_FALSE(info.running);
    EXPECT_EQ(info.location, "member3");
  }
  EXPECT_EQ((*list)[0].name, "claimed");
  EXPECT_EQ((*list)[1].name, "plain");
}

// A ready warm member of image rp-img, running, as the daemon lists it.
Json WarmMember(const std::string& name) {
  Json config = HardenedConfig({});
  config[kLabelManaged] = "true";
  config[kLabelSpare] = "true";
  config[kLabelSpareReady] = "true";
  config[kLabelWarm] = "true";
  config[kLabelTemplateAlias] = "rp-img";
  config[kLabelImage] = kFingerprint;
  config[kLabelTemplateGeneration] = kTemplateGeneration;
  config[kCpuPriorityKey] = kWarmCpuPriority;
  return InstanceJson(name, "Running", config);
}

TEST_F(IncusRuntimeTest, CreateClaimsAWarmMemberUnderItsEtagAndMovesItsSocket) {
  const std::string taken = "rpw-d1337eb00d5e-00000001", free = "rpw-d1337eb00d5e-00000002";
  HaveInstance(WarmMember(taken), "\"m1\"");
  HaveInstance(WarmMember(free), "\"m2\"");
  // Another process claims the first between this one's GET and PATCH.
  daemon_.On("PATCH", "/1.0/instances/" + taken, testing::Error(412, "ETag doesn't match"));
  daemon_.On("PATCH", "/1.0/instances/" + free, Sync(Json::object()));
  Touch((dir_ / (free + ".warm")).string());

  ASSERT_TRUE(runtime_->Create("abc", "rp-img", {}).ok());

  auto lost = daemon_.Sent("PATCH", "/1.0/instances/" + taken);
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ((HttpResponse{0, lost[0].headers, ""}.Header("If-Match")), "\"m1\"");
  auto won = daemon_.Sent("PATCH", "/1.0/instances/" + free);
  ASSERT_EQ(won.size(), 1u);
  EXPECT_EQ((HttpResponse{0, won[0].headers, ""}.Header("If-Match")), "\"m2\"");
  Json config = Json::parse(won[0].body)["config"];
  EXPECT_EQ(config[kLabelWorkspace], "abc");
  EXPECT_EQ(config[kLabelWarm], "false");
  EXPECT_EQ(config[kLabelSpare], "false");
  EXPECT_EQ(config[kCpuPriorityKey], kWorkspaceCpuPriority);
  EXPECT_TRUE(Creations().empty()) << "nothing copied";
  EXPECT_TRUE(std::filesystem::exists(dir_ / "abc.sock"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / (free + ".warm")));
  Json claimed = WarmMember(free);
  claimed["config"][kLabelWorkspace] = "abc";
  HaveInstance(claimed);
  EXPECT_EQ(*runtime_->InstanceOf("abc"), free) << "found by its label";
}

TEST_F(IncusRuntimeTest, CreateCopiesWhenNoWarmMemberIsReadyForTheImage) {
  HaveReadyTemplate();
  Json stopped = WarmMember("rpw-d1337eb00d5e-00000003");
  stopped["status"] = "Stopped";  // after a host restart: not claimable
  HaveInstance(stopped);
  Json other = WarmMember("rpw-d1337eb00d5e-00000004");
  other["config"][kLabelTemplateAlias] = "other-image";  // another image's pool
  HaveInstance(other);
  daemon_.On("POST", "/1.0/instances", Async("op-create"));
  NoSpare();
  ASSERT_TRUE(runtime_->Create("abc", "rp-img", {}).ok());
  EXPECT_EQ(Creations().size(), 1u);
  EXPECT_TRUE(daemon_.Sent("PATCH", "/1.0/instances/rpw-").empty());
}

TEST_F(IncusRuntimeTest, AddPortPatchesAProxyDeviceWithIfMatch) {
  HaveInstance(InstanceJson("rp-abc", "Running", WorkspaceConfig("abc")), "\"etag-1\"");
  daemon_.On("PATCH", "/1.0/instances/rp-abc", Sync(Json::object()));
  ASSERT_TRUE(runtime_->AddPort("abc", 3000).ok());
  auto patches = daemon_.Sent("PATCH", "/1.0/instances/rp-abc");
  ASSERT_EQ(patches.size(), 1u);
  HttpResponse headers{0, patches[0].headers, ""};
  EXPECT_EQ(headers.Header("If-Match"), "\"etag-1\"");
  Json device = Json::parse(patches[0].body)["devices"]["port-3000"];
  EXPECT_EQ(device["listen"], "unix:" + dir_.string() + "/abc.3000.sock");
  EXPECT_EQ(device["connect"], "tcp:127.0.0.1:3000");
}

TEST_F(IncusRuntimeTest, AddPortRetriesWhenTheEtagMoved) {
  HaveInstance(InstanceJson("rp-abc", "Running", WorkspaceConfig("abc")));
  int calls = 0;
  daemon_.On("PATCH", "/1.0/instances/rp-abc", [&](const HttpRequest&) {
    return ++calls == 1 ? testing::Error(412, "ETag doesn't match") : Sync(Json::object());
  });
  ASSERT_TRUE(runtime_->AddPort("abc", 3000).ok());
  EXPECT_EQ(calls, 2);
}

TEST_F(IncusRuntimeTest, RemovePortPutsTheDevicesWithoutIt) {
  Json devices = {{"code", {{"type", "proxy"}}}, {"port-3000", {{"type", "proxy"}}}};
  HaveInstance(InstanceJson("rp-abc", "Running", WorkspaceConfig("abc"), devices), "\"etag-2\"");
  daemon_.On("PUT", "/1.0/instances/rp-abc", Async("op-put"));
  Touch(runtime_->PortSocketPath("abc", 3000));
  ASSERT_TRUE(runtime_->RemovePort("abc", 3000).ok());
  auto puts = daemon_.Sent("PUT", "/1.0/instances/rp-abc");
  ASSERT_EQ(puts.size(), 1u);
  Json body = Json::parse(puts[0].body);
  EXPECT_TRUE(body["devices"].contains("code"));
  EXPECT_FALSE(body["devices"].contains("port-3000"));
  EXPECT_EQ(HttpResponse({0, puts[0].headers, ""}).Header("If-Match"), "\"etag-2\"");
  EXPECT_FALSE(std::filesystem::exists(runtime_->PortSocketPath("abc", 3000)));
}

TEST_F(IncusRuntimeTest, PortOutsideRangeIsRejectedBeforeTheDaemon) {
  EXPECT_EQ(runtime_->AddPort("abc", 80).code(), Code::kInvalidArgument);
  EXPECT_TRUE(daemon_.requests().empty());
}

TEST_F(IncusRuntimeTest, ConfigureStoppedInstanceWritesConfigWithoutRestart) {
  HaveInstance(WorkspaceInstance("abc", "Stopped"));
  daemon_.On("PATCH", "/1.0/instances/rp-abc", Sync(Json::object()));
  daemon_.On("POST", "/1.0/instances/rp-abc/files", Sync(Json::object()));
  ASSERT_TRUE(runtime_->Configure("abc", {.base_path = "/workspace/abc"}).ok());
  auto files = daemon_.Sent("POST", "/1.0/instances/rp-abc/files?path=/etc/rockpool/code-server");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].body,
            "bind-addr: 127.0.0.1:8080\nauth: none\ndisable-telemetry: true\n"
            "disable-update-check: true\nabs-proxy-base-path: \"/workspace/abc\"\n");
  EXPECT_TRUE(daemon_.Sent("POST", "/1.0/instances/rp-abc/exec").empty());
  EXPECT_EQ(daemon_.Sent("POST", "/1.0/instances/rp-abc/files").size(), 1u);  // one request
}

// Rockpool's image renders the file from the instance's config at every start.
Json TemplatingWorkspaceConfig(const std::string& ws) {
  Json config = WorkspaceConfig(ws);
  config[kImageCodeServerConfigKey] = "template";
  return config;
}

TEST_F(IncusRuntimeTest, ConfigureStoppedInstanceOfATemplatingImageOnlySetsItsConfigKeys) {
  HaveInstance(InstanceJson("rp-abc", "Stopped", TemplatingWorkspaceConfig("abc")));
  daemon_.On("PATCH", "/1.0/instances/rp-abc", Sync(Json::object()));
  ASSERT_TRUE(runtime_->Configure("abc", {.base_path = "/workspace/abc"}).ok());
  auto patches = daemon_.Sent("PATCH", "/1.0/instances/rp-abc");
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_EQ(Json::parse(patches[0].body)["config"],
            Json({{kCodeServerBasePathKey, "/workspace/abc"}, {kCodeServerPortKey, "8080"}}));
  EXPECT_TRUE(daemon_.Sent("POST", "/1.0/instances/rp-abc/files").empty());
  EXPECT_TRUE(daemon_.Sent("POST", "/1.0/instances/rp-abc/exec").empty());
}

TEST_F(IncusRuntimeTest, ConfigureRunningInstanceOfATemplatingImageAlsoWritesTheFileAndRestarts) {
  HaveInstance(InstanceJson("rp-abc", "Running", TemplatingWorkspaceConfig("abc")));
  AcceptConfigureOfRunningAbc();
  ASSERT_TRUE(runtime_->Configure("abc", {.base_path = "/workspace/abc"}).ok());
  EXPECT_EQ(daemon_.Sent("PATCH", "/1.0/instances/rp-abc").size(), 1u);       // the next start's
  EXPECT_EQ(daemon_.Sent("POST", "/1.0/instances/rp-abc/files").size(), 1u);  // this run's
  EXPECT_EQ(daemon_.Sent("POST", "/1.0/instances/rp-abc/exec").size(), 1u);
}

TEST_F(IncusRuntimeTest, ConfigureMakesTheConfigFolderWhenTheImageHasNone) {
  HaveInstance(WorkspaceInstance("abc", "Stopped"));
  daemon_.On("PATCH", "/1.0/instances/rp-abc", Sync(Json::object()));
  bool folder = false;
  daemon_.On("POST", "/1.0/instances/rp-abc/files", [&](const HttpRequest& r) {
    if (r.target.ends_with("path=/etc/rockpool")) {
      folder = true;
      return Sync(Json::object());
    }
    return folder ? Sync(Json::object()) : testing::Error(404, "Not Found");
  });
  ASSERT_TRUE(runtime_->Configure("abc", {.base_path = "/workspace/abc"}).ok());
  auto files = daemon_.Sent("POST", "/1.0/instances/rp-abc/files");
  ASSERT_EQ(files.size(), 3u);  // the file, its folder, the file again
  EXPECT_TRUE(files[1].target.ends_with("path=/etc/rockpool"));
  EXPECT_TRUE(files[2].target.ends_with("path=/etc/rockpool/code-server.yaml"));
}

TEST_F(IncusRuntimeTest, ConfigureRunningInstanceRestartsCodeServer) {
  HaveInstance(InstanceJson("rp-abc", "Running", WorkspaceConfig("abc")));
  AcceptConfigureOfRunningAbc();
  ASSERT_TRUE(runtime_->Configure("abc", {.base_path = "/workspace/abc"}).ok());
  Json exec = Json::parse(daemon_.Sent("POST", "/1.0/instances/rp-abc/exec")[0].body);
  EXPECT_EQ(exec["command"], Json({"systemctl", "restart", "code-server"}));
}

TEST_F(IncusRuntimeTest, StartAndWaitHealthyAnswersBeforeTheDaemonFinishesTheStart) {
  HaveInstance(WorkspaceInstance("abc", "Stopped"));
  daemon_.On("PUT", "/1.0/instances/rp-abc/state", Async("op-start"));
  daemon_.On("GET", "/1.0/operations/op-start",
             Sync({{"id", "op-start"}, {"status", "Running"}, {"err", ""}}));
  daemon_.On("GET", "/1.0/operations/op-start/wait", OperationDone());
  health_.Enqueue(502, "");
  health_.Enqueue(200, "ok");
  ASSERT_TRUE(runtime_->StartAndWaitHealthy("abc", {}, std::chrono::seconds(5)).ok());
  EXPECT_EQ(Json::parse(daemon_.Sent("PUT", "/1.0/instances/rp-abc/state")[0].body)["action"],
            "start");
  EXPECT_TRUE(daemon_.Sent("GET", "/1.0/operations/op-start/wait").empty()) << "not waited for";
  EXPECT_EQ(health_.requests().size(), 2u);

  // The next call on the instance waits for the start to be finished first.
  daemon_.On("PUT", "/1.0/instances/rp-abc/state", Async("op-stop"));
  ASSERT_TRUE(runtime_->Stop("abc").ok());
  EXPECT_EQ(daemon_.Sent("GET", "/1.0/operations/op-start/wait").size(), 1u);
  const auto& log = daemon_.requests();
  auto waited = std::find_if(log.begin(), log.end(), [](const HttpRequest& r) {
    return r.target.rfind("/1.0/operations/op-start/wait", 0) == 0;
  });
  auto stopped = std::find_if(log.begin(), log.end(), [](const HttpRequest& r) {
    return r.method == "PUT" && r.body.find("\"stop\"") != std::string::npos;
  });
  EXPECT_LT(waited - log.begin(), stopped - log.begin());
}

TEST_F(IncusRuntimeTest, AStartTheDaemonHasForgottenCountsAsFinished) {
  HaveInstance(WorkspaceInstance("abc", "Stopped"));
  daemon_.On("PUT", "/1.0/instances/rp-abc/state", Async("op-start"));
  daemon_.On("GET", "/1.0/operations/op-start",
             Sync({{"id", "op-start"}, {"status", "Running"}, {"err", ""}}));
  health_.Enqueue(200, "ok");
  ASSERT_TRUE(runtime_->StartAndWaitHealthy("abc", {}, std::chrono::seconds(5)).ok());
  // Finished operations are dropped by the daemon after a few seconds.
  daemon_.On("GET", "/1.0/operations/op-start", testing::Error(404, "Operation not found"));
  daemon_.On("PUT", "/1.0/instances/rp-abc/state", Async("op-stop"));
  Status stopped = runtime_->Stop("abc");
  EXPECT_TRUE(stopped.ok()) << stopped.ToString();
}

TEST_F(IncusRuntimeTest, StartAndWaitHealthyFailsAsSoonAsTheStartFails) {
  HaveInstance(WorkspaceInstance("abc", "Stopped"));
  daemon_.On("PUT", "/1.0/instances/rp-abc/state", Async("op-start"));
  daemon_.On("GET", "/1.0/operations/op-start",
             Sync({{"id", "op-start"}, {"status", "Failure"}, {"err", "Failed to start device"}}));
  health_.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return Status::Unavailable("connect: no such file");
  });
  auto started = std::chrono::steady_clock::now();
  Status s = runtime_->StartAndWaitHealthy("abc", {}, std::chrono::seconds(30));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("start instance rp-abc"));
  EXPECT_THAT(s.message(), HasSubstr("Failed to start device"));
}

TEST_F(IncusRuntimeTest, WaitHealthyPollsTheWorkspaceSocketUntil200) {
  health_.Enqueue(502, "");
  health_.Enqueue(200, "ok");
  ASSERT_TRUE(runtime_->WaitHealthy("abc", std::chrono::seconds(5)).ok());
  EXPECT_EQ(health_socket_, runtime_->SocketPath("abc"));
  EXPECT_EQ(health_.requests().size(), 2u);
  EXPECT_EQ(health_.requests()[0].target, "/healthz");
}

TEST_F(IncusRuntimeTest, WaitHealthyTimeoutSaysWhatItSawLast) {
  health_.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return Status::Unavailable("connect: no such file");
  });
  Status s = runtime_->WaitHealthy("abc", std::chrono::milliseconds(30));
  EXPECT_EQ(s.code(), Code::kDeadlineExceeded);
  EXPECT_THAT(s.message(), HasSubstr("instance rp-abc: not healthy after 30 ms"));
  EXPECT_THAT(s.message(), HasSubstr("last: connect: no such file"));
}

TEST_F(IncusRuntimeTest, PruneTemplatesDeletesOnlyOldTemplatesOfTheAlias) {
  Json old_tpl = InstanceJson("rp-tpl-0000aaaabbbb", "Stopped",
                              {{kLabelTemplate, "true"}, {kLabelTemplateAlias, "rp-img"}});
  Json current = InstanceJson("rp-tpl-d1337eb00d5e", "Stopped",
                              {{kLabelTemplate, "true"}, {kLabelTemplateAlias, "rp-img"}});
  Json other = InstanceJson("rp-tpl-ccccdddd0000", "Stopped",
                            {{kLabelTemplate, "true"}, {kLabelTemplateAlias, "other"}});
  daemon_.On("GET", "/1.0/instances?recursion=1", Sync({old_tpl, current, other}));
  daemon_.On("DELETE", "/1.0/instances/", Async("op-del"));
  ASSERT_TRUE(runtime_->PruneTemplates("rp-img").ok());
  auto deletes = daemon_.Sent("DELETE", "/1.0/instances/");
  ASSERT_EQ(deletes.size(), 1u);
  EXPECT_EQ(deletes[0].target, "/1.0/instances/rp-tpl-0000aaaabbbb");
}

// A rebuilt image: the alias now names a new fingerprint. Pruning removes the old image's
// template, never a workspace made from it, and a new workspace is copied from the new template.
TEST_F(IncusRuntimeTest, AfterARebuildOldWorkspacesStayAndNewOnesGetTheNewImage) {
  const std::string old_fingerprint = "0000aaaabbbb";
  Json old_config = WorkspaceConfig("old");
  old_config[kLabelImage] = old_fingerprint;
  Json old_workspace = InstanceJson("rp-old", "Running", old_config);
  Json old_tpl = InstanceJson(
      "rp-tpl-0000aaaabbbb", "Stopped",
      {{kLabelTemplate, "true"}, {kLabelTemplateAlias, "rp-img"}, {kLabelImage, old_fingerprint}});
  daemon_.On("GET", "/1.0/instances?recursion=1", Sync({old_workspace, old_tpl}));
  daemon_.On("DELETE", "/1.0/instances/", Async("op-del"));
  ASSERT_TRUE(runtime_->PruneTemplates("rp-img").ok());

  HaveReadyTemplate();
  daemon_.On("POST", "/1.0/instances", Async("op-create"));
  NoSpare();
  ASSERT_TRUE(runtime_->Create("new", "rp-img", {}).ok());
  auto posts = Creations();
  ASSERT_EQ(posts.size(), 1u);
  Json body = Json::parse(posts[0].body);
  EXPECT_EQ(body["source"]["source"], "rp-tpl-d1337eb00d5e");
  EXPECT_EQ(body["config"][kLabelImage], kFingerprint);

  auto deletes = daemon_.Sent("DELETE", "/1.0/instances/");
  ASSERT_EQ(deletes.size(), 1u);
  EXPECT_EQ(deletes[0].target, "/1.0/instances/rp-tpl-0000aaaabbbb");
  for (const auto& r : daemon_.requests()) {
    if (r.method == "GET") continue;
    EXPECT_EQ(r.target.find("/1.0/instances/rp-old"), std::string::npos)
        << r.method << " " << r.target;
  }
}

}  // namespace
}  // namespace rockpool::incus
