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

TEST_F(IncusRuntimeIntegrationTest, ErrorsNameTheInstance) {
  Status s = runtime_->Start("itest-never-created", {});
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "incus: get instance rp-itest-never-created: 404 Instance not found");
}

}  // namespace
}  // namespace rockpool::incus
