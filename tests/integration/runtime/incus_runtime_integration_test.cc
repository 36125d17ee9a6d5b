// IncusRuntime against the real daemon: the shared Runtime contract
// (tests/runtime_contract/runtime_contract.h) on real LXD, and what only this runtime does
// (exec, the spare, its devices, its exact errors), timed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "http/curl_client.h"
#include "runtime/incus/images.h"
#include "runtime/incus/incus_client.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/instances.h"
#include "runtime/incus/socket.h"
#include "tests/integration/polling.h"
#include "tests/integration/test_project.h"
#include "tests/runtime_contract/runtime_contract.h"

namespace rockpool::incus {
namespace {

using Clock = std::chrono::steady_clock;

std::string TestImage() {
  const char* env = std::getenv("ROCKPOOL_TEST_IMAGE");
  return env != nullptr && *env != '\0' ? env : "rockpool-workspace";
}

std::string UniqueName() {
  static std::atomic<int> n{0};
  return "itest-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
}

double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

bool Eventually(const std::function<bool()>& probe, std::chrono::milliseconds timeout) {
  return itest::PollUntil(probe, timeout);
}

// The contract's harness: an IncusRuntime in the engine-test project with its own socket dir.
class IncusHarness final : public contract::RuntimeHarness {
 public:
  static std::unique_ptr<contract::RuntimeHarness> Make(std::string* skip) {
    auto socket = DetectSocket();
    if (!socket.ok()) {
      *skip = "no Incus/LXD daemon: " + socket.status().message();
      return nullptr;
    }
    if (testing_env::EngineTestProject().empty()) {
      ADD_FAILURE() << testing_env::kNoProject;
      *skip = testing_env::kNoProject;
      return nullptr;
    }
    auto client = IncusClient::ForSocket(*socket, testing_env::EngineTestProject());
    auto alias = GetImageAliasTarget(*client, TestImage());
    if (!alias.ok() || !alias->has_value()) {
      *skip = "image alias " + TestImage() + " not in the daemon (build it, or set " +
              "ROCKPOOL_TEST_IMAGE)";
      return nullptr;
    }
    auto h = std::unique_ptr<IncusHarness>(new IncusHarness());
    IncusRuntimeOptions options;
    options.project = testing_env::EngineTestProject();
    options.network = testing_env::EngineTestBridge();
    options.socket_dir = h->socket_dir_;
    auto runtime = IncusRuntime::Open(options, *socket);
    if (!runtime.ok()) {
      ADD_FAILURE() << runtime.status().ToString();
      *skip = runtime.status().ToString();
      return nullptr;
    }
    h->runtime_ = std::move(*runtime);
    auto tpl = h->runtime_->PrepareTemplate(TestImage());
    if (!tpl.ok()) {
      ADD_FAILURE() << tpl.status().ToString();
      *skip = tpl.status().ToString();
      return nullptr;
    }
    return h;
  }
  ~IncusHarness() override { std::filesystem::remove_all(socket_dir_); }

  Runtime& runtime() override { return *runtime_; }
  std::string image() const override { return TestImage(); }
  std::string missing_image() const override { return "rockpool-no-such-image"; }
  Status ServeInside(const std::string& name, int port) override {
    auto server =
        runtime_->Exec(name, {"sh", "-c",
                              "cd /tmp && nohup python3 -m http.server " + std::to_string(port) +
                                  " --bind 127.0.0.1 >/dev/null 2>&1 &"});
    if (!server.ok()) return server.status();
    if (server->exit_code != 0) return Status::Internal("start a server inside: " + server->err);
    return Status::Ok();
  }

 private:
  IncusHarness() {
    static std::atomic<int> n{0};
    socket_dir_ = "/tmp/rp-ctest-sockets-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
  }
  std::string socket_dir_;
  std::unique_ptr<IncusRuntime> runtime_;
};

using contract::RuntimeContractTest;
INSTANTIATE_TEST_SUITE_P(IncusRuntime, RuntimeContractTest,
                         ::testing::Values(contract::RuntimeFactory{.label = "against LXD",
                                                                    .make = IncusHarness::Make}),
                         contract::FactoryName);

class IncusRuntimeIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto socket = DetectSocket();
    if (!socket.ok()) GTEST_SKIP() << "no Incus/LXD daemon: " << socket.status().message();
    ASSERT_NE(testing_env::EngineTestProject(), "") << testing_env::kNoProject;
    client_ = IncusClient::ForSocket(*socket, testing_env::EngineTestProject());
    auto alias = GetImageAliasTarget(*client_, TestImage());
    if (!alias.ok()) GTEST_SKIP() << "daemon not answering: " << alias.status().message();
    if (!alias->has_value()) {
      GTEST_SKIP() << "image alias " << TestImage()
                   << " not in the daemon (build it, or set ROCKPOOL_TEST_IMAGE)";
    }
    socket_dir_ = "/tmp/rp-itest-sockets-" + std::to_string(::getpid());
    IncusRuntimeOptions options;
    options.project = testing_env::EngineTestProject();
    options.network = testing_env::EngineTestBridge();
    options.socket_dir = socket_dir_;
    auto runtime = IncusRuntime::Open(options, *socket);
    ASSERT_TRUE(runtime.ok()) << runtime.status().ToString();
    runtime_ = std::move(*runtime);
    auto tpl_start = Clock::now();
    auto tpl = runtime_->PrepareTemplate(TestImage());
    ASSERT_TRUE(tpl.ok()) << tpl.status().ToString();
    std::cerr << "[timing] prepare template (or find it ready): " << Ms(tpl_start) << " ms\n";
  }

  void TearDown() override {
    if (runtime_) {
      for (const auto& name : created_) EXPECT_TRUE(runtime_->Remove(name).ok());
    }
    if (!socket_dir_.empty()) std::filesystem::remove_all(socket_dir_);
  }

  std::string NewWorkspace() {
    created_.push_back(UniqueName());
    return created_.back();
  }

  // GET / through a host socket; the HTTP status or -1.
  static int StatusThrough(const std::string& socket, const std::string& target = "/") {
    CurlHttpClient http(HttpEndpoint::Unix(socket, "localhost"));
    auto r = http.Send({.target = target, .timeout = std::chrono::seconds(2)});
    return r.ok() ? r->status : -1;
  }

  std::shared_ptr<IncusClient> client_;
  std::unique_ptr<IncusRuntime> runtime_;
  std::string socket_dir_;
  std::vector<std::string> created_;
};

TEST_F(IncusRuntimeIntegrationTest, WorkspaceLifecycleKeepsFilesAcrossRestart) {
  std::string name = NewWorkspace();
  auto t = Clock::now();
  ASSERT_TRUE(runtime_->Create(name, TestImage(), {}).ok());
  double create_ms = Ms(t);
  ASSERT_TRUE(runtime_->Configure(name, {.base_path = "/workspace/" + name}).ok());
  t = Clock::now();
  ASSERT_TRUE(runtime_->Start(name, {}).ok());
  double start_ms = Ms(t);
  auto healthy = runtime_->WaitHealthy(name, std::chrono::seconds(30));
  double ready_ms = Ms(t);
  ASSERT_TRUE(healthy.ok()) << healthy.ToString();
  std::cerr << "[timing] create " << create_ms << " ms, start " << start_ms
            << " ms, start->healthz " << ready_ms << " ms, create->healthz " << create_ms + ready_ms
            << " ms\n";

  auto config = runtime_->Exec(name, {"cat", "/etc/rockpool/code-server.yaml"});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_THAT(config->out, ::testing::HasSubstr("abs-proxy-base-path: \"/workspace/" + name));

  auto write = runtime_->Exec(name, {"sh", "-c", "echo kept > /root/marker"});
  ASSERT_TRUE(write.ok()) << write.status().ToString();
  EXPECT_EQ(write->exit_code, 0) << write->err;

  auto info = runtime_->Inspect(name);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->name, name);
  EXPECT_TRUE(info->running);
  auto list = runtime_->List();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_TRUE(std::any_of(list->begin(), list->end(),
                          [&](const InstanceInfo& i) { return i.name == name; }));

  t = Clock::now();
  ASSERT_TRUE(runtime_->Stop(name).ok());
  std::cerr << "[timing] stop " << Ms(t) << " ms\n";
  EXPECT_FALSE(std::filesystem::exists(runtime_->SocketPath(name)));
  EXPECT_FALSE(runtime_->Inspect(name)->running);
  EXPECT_TRUE(runtime_->Stop(name).ok()) << "stop is idempotent";

  t = Clock::now();
  ASSERT_TRUE(runtime_->Start(name, {}).ok());
  ASSERT_TRUE(runtime_->WaitHealthy(name, std::chrono::seconds(30)).ok());
  std::cerr << "[timing] restart->healthz " << Ms(t) << " ms\n";
  auto read = runtime_->Exec(name, {"cat", "/root/marker"});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->out, "kept\n");

  // Reconfigured while running: code-server restarts with the new file at once, and the next
  // start renders the same file from the instance's config.
  const std::string moved = "/workspace/" + name + "-moved";
  ASSERT_TRUE(runtime_->Configure(name, {.base_path = moved}).ok());
  ASSERT_TRUE(runtime_->WaitHealthy(name, std::chrono::seconds(30)).ok());
  auto now = runtime_->Exec(name, {"cat", "/etc/rockpool/code-server.yaml"});
  ASSERT_TRUE(now.ok());
  EXPECT_THAT(now->out, ::testing::HasSubstr("abs-proxy-base-path: \"" + moved + "\""));
  ASSERT_TRUE(runtime_->Stop(name).ok());
  ASSERT_TRUE(runtime_->Start(name, {}).ok());
  ASSERT_TRUE(runtime_->WaitHealthy(name, std::chrono::seconds(30)).ok());
  auto rendered = runtime_->Exec(name, {"cat", "/etc/rockpool/code-server.yaml"});
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ(rendered->out, now->out) << "rendered at start from the instance's config";

  t = Clock::now();
  ASSERT_TRUE(runtime_->Remove(name).ok());
  std::cerr << "[timing] remove (running) " << Ms(t) << " ms\n";
  EXPECT_EQ(runtime_->Inspect(name).status().code(), Code::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(runtime_->SocketPath(name)));
}

TEST_F(IncusRuntimeIntegrationTest, CreateTakesTheSpareWhichPrewarmThenReplaces) {
  auto fingerprint = GetImageAliasTarget(*client_, TestImage());
  ASSERT_TRUE(fingerprint.ok() && fingerprint->has_value());
  const std::string spare = SpareName(**fingerprint);
  auto t = Clock::now();
  Status prewarmed = runtime_->Prewarm(TestImage());
  ASSERT_TRUE(prewarmed.ok()) << prewarmed.ToString();
  std::cerr << "[timing] prewarm (or find the spare ready): " << Ms(t) << " ms\n";
  // A control plane on this daemon may be making the spare right now.
  ASSERT_TRUE(Eventually(
      [&] {
        auto ready = runtime_->IsPrewarmed(TestImage());
        return ready.ok() && *ready;
      },
      std::chrono::seconds(60)));
  auto before = GetInstance(*client_, spare, false);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_FALSE(before->running());
  const std::string spare_uuid = before->config["volatile.uuid"];

  std::string name = NewWorkspace();
  t = Clock::now();
  ASSERT_TRUE(runtime_->Create(name, TestImage(), {}).ok());
  std::cerr << "[timing] create from the spare " << Ms(t) << " ms\n";
  auto made = GetInstance(*client_, InstanceName(name), false);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->config["volatile.uuid"], spare_uuid) << "the spare itself, renamed";
  EXPECT_EQ(made->config[kLabelWorkspace], name);
  EXPECT_EQ(made->config[kLabelSpare], "false");
  EXPECT_EQ(made->devices["code"]["listen"], "unix:" + runtime_->SocketPath(name));

  ASSERT_TRUE(runtime_->Configure(name, {.base_path = "/workspace/" + name}).ok());
  ASSERT_TRUE(runtime_->Start(name, {}).ok());
  Status healthy = runtime_->WaitHealthy(name, std::chrono::seconds(30));
  EXPECT_TRUE(healthy.ok()) << healthy.ToString();

  prewarmed = runtime_->Prewarm(TestImage());
  ASSERT_TRUE(prewarmed.ok()) << prewarmed.ToString();
  auto after = GetInstance(*client_, spare, false);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_NE(after->config["volatile.uuid"], spare_uuid);
  auto listed = runtime_->List();
  ASSERT_TRUE(listed.ok());
  for (const InstanceInfo& info : *listed) EXPECT_NE(info.name, spare) << "a spare is no workspace";
}

TEST_F(IncusRuntimeIntegrationTest, ExecReportsExitCodeAndOutput) {
  std::string name = NewWorkspace();
  ASSERT_TRUE(runtime_->Create(name, TestImage(), {}).ok());
  ASSERT_TRUE(runtime_->Start(name, {}).ok());
  auto r = runtime_->Exec(name, {"sh", "-c", "echo out; echo err >&2; exit 7"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 7);
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
  auto missing = runtime_->Exec(name, {"no-such-command-rp"});
  ASSERT_TRUE(missing.ok()) << missing.status().ToString();
  EXPECT_EQ(missing->exit_code, 127);
}

// The warm pool of a private alias of the test image, so that no other test's Create claims
// its members (a pool belongs to an image alias).
class WarmPoolIntegrationTest : public IncusRuntimeIntegrationTest {
 protected:
  void SetUp() override {
    IncusRuntimeIntegrationTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto target = GetImageAliasTarget(*client_, TestImage());
    ASSERT_TRUE(target.ok() && target->has_value());
    fingerprint_ = **target;
    alias_ = "rp-warm-itest-" + std::to_string(::getpid());
    ASSERT_TRUE(PostImageAlias(*client_, {.name = alias_, .target = fingerprint_}).ok());
  }
  void TearDown() override {
    if (!alias_.empty()) {
      auto retired = runtime_->FillWarmPools({}, {});
      EXPECT_TRUE(retired.ok()) << retired.status().ToString();
      EXPECT_TRUE(Members().empty()) << "members are left after the pool was turned off";
      (void)client_->Call({.method = "DELETE", .path = "/1.0/images/aliases/" + alias_});
    }
    IncusRuntimeIntegrationTest::TearDown();
  }

  // The warm members of the alias, ready or not.
  std::vector<Instance> Members() {
    std::vector<Instance> out;
    auto all = GetInstances(*client_, false);
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    if (!all.ok()) return out;
    for (const Instance& i : *all) {
      if (i.Label(kLabelWarm) == "true" && i.Label(kLabelTemplateAlias) == alias_) {
        out.push_back(i);
      }
    }
    return out;
  }

  // What `command` prints inside workspace `name` (as root).
  std::string In(const std::string& name, const std::string& command) {
    auto r = runtime_->Exec(name, {"sh", "-c", command});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return "";
    EXPECT_EQ(r->exit_code, 0) << command << ": " << r->err;
    return r->out;
  }

  // A file or a folder's listing in the stopped template, through the daemon.
  std::string InTemplate(const std::string& path) {
    auto r = client_->Fetch(
        {.path = "/1.0/instances/" + TemplateName(fingerprint_) + "/files?path=" + path});
    return r.ok() ? r->body : "<" + r.status().ToString() + ">";
  }

  std::string alias_;
  std::string fingerprint_;
};

TEST_F(WarmPoolIntegrationTest, AClaimedMemberIsTheWorkspaceAtOnceAndCarriesNothingOver) {
  const std::map<std::string, int> sizes{{alias_, 2}};
  auto t = Clock::now();
  auto made = runtime_->FillWarmPools(sizes, {});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(*made, 1) << "one member per call";
  std::cerr << "[timing] make a warm member " << Ms(t) << " ms\n";
  ASSERT_EQ(*runtime_->FillWarmPools(sizes, {}), 1);
  EXPECT_EQ(*runtime_->FillWarmPools(sizes, {}), 0) << "the pool is full";
  std::vector<Instance> members = Members();
  ASSERT_EQ(members.size(), 2u);
  for (const Instance& m : members) {
    EXPECT_TRUE(m.running()) << m.name;
    EXPECT_EQ(m.Label(kCpuPriorityKey), kWarmCpuPriority) << m.name;
  }
  // Before a claim the proxy has nothing to route to: only the members' own socket files.
  for (const auto& entry : std::filesystem::directory_iterator(socket_dir_)) {
    EXPECT_EQ(entry.path().extension(), ".warm") << entry.path();
  }

  const std::string a = NewWorkspace();
  const std::string b = NewWorkspace();
  const WorkspaceLimits small{.cpus = 0.5, .memory_mib = 1024, .processes = 512, .disk_gib = 5};
  t = Clock::now();
  ASSERT_TRUE(runtime_->Create(a, alias_, {}).ok());
  ASSERT_TRUE(runtime_->Configure(a, {.base_path = kCodeServerBasePath}).ok());
  Status healthy = runtime_->StartAndWaitHealthy(a, {}, std::chrono::seconds(30));
  ASSERT_TRUE(healthy.ok()) << healthy.ToString();
  std::cerr << "[timing] warm create->healthz " << Ms(t) << " ms\n";
  ASSERT_TRUE(runtime_->Create(b, alias_, small).ok());
  ASSERT_TRUE(runtime_->StartAndWaitHealthy(b, small, std::chrono::seconds(30)).ok());

  auto instance_a = runtime_->InstanceOf(a);
  auto instance_b = runtime_->InstanceOf(b);
  ASSERT_TRUE(instance_a.ok() && instance_b.ok());
  EXPECT_TRUE(IsWarmName(*instance_a)) << *instance_a;
  EXPECT_TRUE(IsWarmName(*instance_b)) << *instance_b;
  EXPECT_NE(*instance_a, *instance_b);
  EXPECT_TRUE(Members().empty()) << "both members were claimed";
  EXPECT_EQ(StatusThrough(runtime_->SocketPath(a), "/healthz"), 200);
  EXPECT_EQ(StatusThrough(runtime_->SocketPath(b), "/healthz"), 200);
  EXPECT_FALSE(std::filesystem::exists(socket_dir_ + "/" + WarmSocketFile(*instance_a)));
  // code-server serves the workspace at its root, its URLs relative: no restart at the claim.
  auto uptime = runtime_->Exec(a, {"sh", "-c", "ps -o etimes= -C node | sort -n | tail -1"});
  ASSERT_TRUE(uptime.ok());
  EXPECT_GE(std::stoi(uptime->out), 1) << "code-server was not restarted by the claim";

  // The claim gave each its own labels and limits, and its CPU weight back.
  auto got_b = GetInstance(*client_, *instance_b, false);
  ASSERT_TRUE(got_b.ok());
  EXPECT_EQ(got_b->Label(kLabelWorkspace), b);
  EXPECT_EQ(got_b->Label(kLabelWarm), "false");
  EXPECT_EQ(got_b->Label(kCpuPriorityKey), kWorkspaceCpuPriority);
  EXPECT_EQ(got_b->Label(kMemoryKey), "1024MiB");
  EXPECT_EQ(got_b->devices["root"]["size"], "5GiB");
  auto listed = runtime_->List();
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(std::any_of(listed->begin(), listed->end(),
                          [&](const InstanceInfo& i) { return i.name == a && i.running; }));
  EXPECT_EQ(runtime_->Create(a, alias_, {}).code(), Code::kAlreadyExists);

  // Nothing carried over. The template every member is copied from holds no machine-id, no
  // host keys, no code-server state, logs or temp files; so what each workspace has, it made
  // itself, in its only boot.
  EXPECT_EQ(InTemplate("/etc/machine-id"), "");
  EXPECT_THAT(InTemplate("/tmp"), ::testing::HasSubstr("\"metadata\":[]"));
  EXPECT_THAT(InTemplate("/home/admin/.local/share/code-server"),
              ::testing::HasSubstr("\"metadata\":[\"User\"]"));
  EXPECT_THAT(InTemplate("/etc/ssh"), ::testing::Not(::testing::HasSubstr("ssh_host_")));
  const std::string id_a = In(a, "cat /etc/machine-id");
  const std::string id_b = In(b, "cat /etc/machine-id");
  EXPECT_EQ(id_a.size(), 33u) << id_a;
  EXPECT_NE(id_a, id_b);
  const std::string count = "ls /etc/ssh | grep -c ssh_host_ || true";
  const std::string keys = "cat /etc/ssh/ssh_host_*_key.pub 2>/dev/null || true";
  EXPECT_EQ(In(a, count), "0\n") << "no host keys at all";
  EXPECT_EQ(In(b, count), "0\n") << "no host keys at all";
  const std::string keys_a = In(a, keys);
  if (!keys_a.empty()) {
    EXPECT_NE(keys_a, In(b, keys)) << "host keys carried over";
  }
  // code-server's own ids and keys come with the first browser connection, after the claim.
  EXPECT_EQ(In(a, "ls /home/admin/.local/share/code-server/User | grep -c machineid || true"),
            "0\n");
  EXPECT_EQ(In(a, "journalctl --list-boots --no-pager -q | wc -l"), "1\n");
  // Every log of code-server and every temp file dates from this instance's boot.
  const std::string older =
      "find /tmp /var/tmp /home/admin/.local/share/code-server/logs -mindepth 1 "
      "! -newermt \"@$(( $(date +%s) - $(cut -d. -f1 /proc/uptime) - 2 ))\" | head";
  EXPECT_EQ(In(a, older), "");

  // It stops and starts as any workspace, its IDE socket now named for the workspace.
  ASSERT_TRUE(runtime_->Stop(a).ok());
  EXPECT_FALSE(std::filesystem::exists(runtime_->SocketPath(a)));
  ASSERT_TRUE(runtime_->StartAndWaitHealthy(a, {}, std::chrono::seconds(30)).ok());
  EXPECT_EQ(StatusThrough(runtime_->SocketPath(a), "/healthz"), 200);
  auto restarted = GetInstance(*client_, *instance_a, false);
  ASSERT_TRUE(restarted.ok());
  EXPECT_EQ(restarted->devices[kCodeDevice]["listen"], "unix:" + runtime_->SocketPath(a));

  // Removing the workspace removes the member it claimed.
  ASSERT_TRUE(runtime_->Remove(a).ok());
  EXPECT_EQ(GetInstance(*client_, *instance_a, false).status().code(), Code::kNotFound);
  EXPECT_EQ(runtime_->Inspect(a).status().code(), Code::kNotFound);
  created_.erase(std::find(created_.begin(), created_.end(), a));

  // Refilled; a smaller size removes what is beyond it.
  ASSERT_EQ(*runtime_->FillWarmPools(sizes, {}), 1);
  ASSERT_EQ(*runtime_->FillWarmPools(sizes, {}), 1);
  EXPECT_EQ(*runtime_->FillWarmPools({{alias_, 1}}, {}), 0);
  EXPECT_EQ(Members().size(), 1u);
}

TEST_F(IncusRuntimeIntegrationTest, ErrorsNameTheInstance) {
  Status s = runtime_->Start("itest-never-created", {});
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "incus: get instance rp-itest-never-created: 404 Instance not found");
}

}  // namespace
}  // namespace rockpool::incus
