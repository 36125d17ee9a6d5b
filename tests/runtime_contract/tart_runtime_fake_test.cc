// TartRuntime's own behaviour beyond the Runtime contract, against a fake `tart`: config
// through `tart exec`, the undo of a half-made create, sockets kept across a control plane
// restart, their mode, and the VMs it counts as Rockpool's.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "http/curl_client.h"
#include "tests/integration/polling.h"
#include "tests/runtime_contract/fake_tart_harness.h"

namespace rockpool::contract {
namespace {

using ::testing::HasSubstr;

class TartRuntimeAgainstAFakeTartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    harness_ = FakeTartHarness::Make(&error);
    ASSERT_NE(harness_, nullptr) << error;
  }
  void TearDown() override {
    if (harness_) (void)harness_->tart().Remove(kName);
  }

  // The commands the fake recorded as run in the guest.
  std::vector<std::vector<std::string>> Execs(const std::string& name) {
    std::ifstream in(harness_->home() + "/vms/" + tart::VmName(name) + "/exec.log");
    std::vector<std::vector<std::string>> out;
    std::string line;
    while (std::getline(in, line)) {
      out.push_back(nlohmann::json::parse(line)["argv"].get<std::vector<std::string>>());
    }
    return out;
  }

  static int Healthz(const std::string& socket) {
    CurlHttpClient http(HttpEndpoint::Unix(socket, "localhost"));
    auto r = http.Send({.target = "/healthz", .timeout = std::chrono::seconds(2)});
    return r.ok() ? r->status : -1;
  }

  static constexpr char kName[] = "alpha";
  std::unique_ptr<FakeTartHarness> harness_;
};

TEST_F(TartRuntimeAgainstAFakeTartTest, ConfigureWritesTheFileThroughExecAndRestartsCodeServer) {
  auto& rt = harness_->tart();
  ASSERT_TRUE(rt.Create(kName, harness_->image(), {}).ok());
  ASSERT_TRUE(rt.Configure(kName, {.base_path = "/workspace/alpha"}).ok());
  EXPECT_TRUE(Execs(kName).empty()) << "a stopped VM cannot be exec'd into";
  ASSERT_TRUE(rt.Start(kName, {}).ok());
  auto execs = Execs(kName);
  ASSERT_EQ(execs.size(), 1u) << "written at start";
  EXPECT_EQ(execs[0][0], "sh");
  EXPECT_THAT(execs[0][2], HasSubstr("systemctl restart code-server"));
  EXPECT_EQ(execs[0].back(),
            tart::RenderTartCodeServerConfig({.base_path = "/workspace/alpha"},
                                             harness_->options().code_server_port));

  ASSERT_TRUE(rt.Configure(kName, {.base_path = "/workspace/alpha-2"}).ok());
  execs = Execs(kName);
  ASSERT_EQ(execs.size(), 2u) << "written at once into a running VM";
  EXPECT_THAT(execs[1].back(), HasSubstr("abs-proxy-base-path: \"/workspace/alpha-2\""));
}

TEST_F(TartRuntimeAgainstAFakeTartTest, CreateUndoesTheCloneWhenSetFails) {
  // A macOS VM refuses less memory than its minimum (VMConfig.swift setMemory).
  auto made = harness_->Tart({"create", "rockpool-macos-image"});
  ASSERT_TRUE(made.ok() && made->exit_code == 0);
  Status created = harness_->tart().Create(kName, "rockpool-macos-image", {.memory_mib = 2048});
  EXPECT_EQ(created.code(), Code::kInternal);
  EXPECT_THAT(created.message(), HasSubstr("workspace alpha"));
  EXPECT_THAT(created.message(), HasSubstr("exited 1: Error: LessThanMinimalResourcesError"));
  EXPECT_EQ(harness_->tart().Inspect(kName).status().code(), Code::kNotFound);
  EXPECT_TRUE(
      harness_->tart().Create(kName, "rockpool-macos-image", {.cpus = 4, .memory_mib = 4096}).ok());
}

TEST_F(TartRuntimeAgainstAFakeTartTest, SetsCpuAndMemoryFromTheLimits) {
  ASSERT_TRUE(
      harness_->tart().Create(kName, harness_->image(), {.cpus = 1.5, .memory_mib = 3072}).ok());
  std::ifstream in(harness_->home() + "/vms/rockpool_alpha/config.json");
  auto config = nlohmann::json::parse(in);
  EXPECT_EQ(config["cpuCount"], 2) << "whole CPUs, rounded up";
  EXPECT_EQ(config["memorySize"], 3072LL * 1024 * 1024);
}

TEST_F(TartRuntimeAgainstAFakeTartTest, AReopenedRuntimeListensAgainForRunningVms) {
  ASSERT_TRUE(harness_->tart().Create(kName, harness_->image(), {}).ok());
  ASSERT_TRUE(harness_->tart().Start(kName, {}).ok());
  ASSERT_TRUE(harness_->ServeInside(kName, 9000).ok());
  ASSERT_TRUE(harness_->tart().AddPort(kName, 9000).ok());
  ASSERT_TRUE(harness_->tart().WaitHealthy(kName, std::chrono::seconds(10)).ok());

  ASSERT_TRUE(harness_->Reopen().ok()) << "as a restarted control plane";
  auto info = harness_->tart().Inspect(kName);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->running) << "the VM outlived the runtime that started it";
  EXPECT_THAT(info->address, ::testing::StartsWith("127.0.0."));
  EXPECT_EQ(Healthz(harness_->tart().SocketPath(kName)), 200);
  EXPECT_TRUE(
      itest::PollUntil([&] { return Healthz(harness_->tart().PortSocketPath(kName, 9000)) == 200; },
                       std::chrono::seconds(5)));
}

TEST_F(TartRuntimeAgainstAFakeTartTest, SocketsHaveTheModeOfTheIncusOnes) {
  ASSERT_TRUE(harness_->tart().Create(kName, harness_->image(), {}).ok());
  ASSERT_TRUE(harness_->tart().Start(kName, {}).ok());
  struct stat st {};
  ASSERT_EQ(::stat(harness_->tart().SocketPath(kName).c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0660u);
}

TEST_F(TartRuntimeAgainstAFakeTartTest, ListsOnlyRockpoolsVms) {
  ASSERT_TRUE(harness_->tart().Create(kName, harness_->image(), {}).ok());
  auto other = harness_->Tart({"clone", harness_->image(), "someone-elses-vm"});
  ASSERT_TRUE(other.ok() && other->exit_code == 0);
  auto list = harness_->tart().List();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 1u) << "not the image, not someone else's VM";
  EXPECT_EQ((*list)[0].name, kName);
  EXPECT_EQ((*list)[0].status, "Stopped");
}

TEST_F(TartRuntimeAgainstAFakeTartTest, RejectsBadWorkspaceNames) {
  EXPECT_EQ(harness_->tart().Create("Bad/Name", harness_->image(), {}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(harness_->tart().Start("../x", {}).code(), Code::kInvalidArgument);
}

TEST_F(TartRuntimeAgainstAFakeTartTest, AStartThatFailsQuotesTartRunsLog) {
  ASSERT_TRUE(harness_->tart().Create(kName, harness_->image(), {}).ok());
  // Something else holds the VM's address and code-server's port: the fake's `run` exits.
  const int port = harness_->options().code_server_port;
  std::ifstream in(harness_->home() + "/vms/rockpool_alpha/config.json");
  const std::string address = nlohmann::json::parse(in)["fakeAddress"];
  int blocker = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
  ASSERT_EQ(::bind(blocker, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(blocker, 1), 0);
  auto options = harness_->options();
  options.ip_wait = std::chrono::seconds(2);
  auto quick = tart::TartRuntime::Open(options);
  ASSERT_TRUE(quick.ok());
  Status started = (*quick)->Start(kName, {});
  ::close(blocker);
  EXPECT_EQ(started.code(), Code::kInternal);
  EXPECT_THAT(started.message(), HasSubstr("workspace alpha"));
  EXPECT_THAT(started.message(), HasSubstr("no IP address found, is your VM running?"));
  EXPECT_THAT(started.message(),
              HasSubstr("cannot serve on " + address + ":" + std::to_string(port)))
      << "the log of tart run";
}

}  // namespace
}  // namespace rockpool::contract
