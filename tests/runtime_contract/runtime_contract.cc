// The shared Runtime contract suite (runtime_contract.h); compiled into each runtime's test
// binary, which instantiates it.
#include "tests/runtime_contract/runtime_contract.h"

#include <gmock/gmock.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "http/curl_client.h"
#include "tests/integration/polling.h"

namespace rockpool::contract {

using ::testing::HasSubstr;

std::string FactoryName(const ::testing::TestParamInfo<RuntimeFactory>& info) {
  std::string name;
  bool upper = true;
  for (char c : info.param.label) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

void RuntimeContractTest::SetUp() {
  std::string skip;
  harness_ = GetParam().make(&skip);
  if (!harness_) {
    // A harness that failed the test (not merely skipped it) must stop the body too: gtest runs
    // the body of a failed test whose SetUp skipped, since it no longer counts as skipped.
    if (HasFailure()) FAIL() << GetParam().label << ": " << skip;
    GTEST_SKIP() << GetParam().label << ": " << skip;
  }
  std::cerr << "[contract] runtime " << GetParam().label << "\n";
}

void RuntimeContractTest::TearDown() {
  if (!harness_) return;
  for (const auto& name : created_) {
    Status removed = rt().Remove(name);
    EXPECT_TRUE(removed.ok()) << removed.ToString();
  }
}

std::string RuntimeContractTest::NewWorkspace() {
  static std::atomic<int> n{0};
  created_.push_back("ctest-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  return created_.back();
}

namespace {

// The HTTP status of GET `target` through a host socket, or -1.
int StatusThrough(const std::string& socket, const std::string& target = "/") {
  CurlHttpClient http(HttpEndpoint::Unix(socket, "localhost"));
  auto r = http.Send({.target = target, .timeout = std::chrono::seconds(2)});
  return r.ok() ? r->status : -1;
}

bool Listed(Runtime& rt, const std::string& name, bool* running = nullptr) {
  auto list = rt.List();
  if (!list.ok()) return false;
  for (const InstanceInfo& info : *list) {
    if (info.name == name) {
      if (running != nullptr) *running = info.running;
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_P(RuntimeContractTest, CreateStartHealthyInspectListStopRemove) {
  const std::string name = NewWorkspace();
  ASSERT_TRUE(rt().CheckImage(harness_->image()).ok());
  Status created = rt().Create(name, harness_->image(), {});
  ASSERT_TRUE(created.ok()) << created.ToString();
  auto info = rt().Inspect(name);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->name, name);
  EXPECT_FALSE(info->running) << "Create does not start";
  bool running = true;
  EXPECT_TRUE(Listed(rt(), name, &running));
  EXPECT_FALSE(running);

  ASSERT_TRUE(rt().Configure(name, {.base_path = "/workspace/" + name}).ok());
  Status started = rt().Start(name, {});
  ASSERT_TRUE(started.ok()) << started.ToString();
  Status healthy = rt().WaitHealthy(name, harness_->healthy_timeout());
  ASSERT_TRUE(healthy.ok()) << healthy.ToString();
  EXPECT_EQ(StatusThrough(rt().SocketPath(name), "/healthz"), 200);
  info = rt().Inspect(name);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->running);
  EXPECT_EQ(info->status, "Running");
  EXPECT_TRUE(Listed(rt(), name, &running));
  EXPECT_TRUE(running);

  Status stopped = rt().Stop(name);
  ASSERT_TRUE(stopped.ok()) << stopped.ToString();
  EXPECT_FALSE(rt().Inspect(name)->running);
  EXPECT_EQ(rt().Inspect(name)->status, "Stopped");
  EXPECT_FALSE(std::filesystem::exists(rt().SocketPath(name))) << "no socket while stopped";

  ASSERT_TRUE(rt().StartAndWaitHealthy(name, {}, harness_->healthy_timeout()).ok());
  ASSERT_TRUE(rt().Remove(name).ok());
  EXPECT_EQ(rt().Inspect(name).status().code(), Code::kNotFound);
  EXPECT_FALSE(Listed(rt(), name));
  EXPECT_FALSE(std::filesystem::exists(rt().SocketPath(name)));
}

TEST_P(RuntimeContractTest, ConfigureWhileRunningKeepsCodeServerHealthy) {
  const std::string name = NewWorkspace();
  ASSERT_TRUE(rt().Create(name, harness_->image(), {}).ok());
  ASSERT_TRUE(rt().StartAndWaitHealthy(name, {}, harness_->healthy_timeout()).ok());
  Status configured = rt().Configure(name, {.base_path = "/workspace/" + name + "-moved"});
  ASSERT_TRUE(configured.ok()) << configured.ToString();
  Status healthy = rt().WaitHealthy(name, harness_->healthy_timeout());
  EXPECT_TRUE(healthy.ok()) << healthy.ToString();
}

TEST_P(RuntimeContractTest, CreatingTheSameWorkspaceTwiceIsAlreadyExists) {
  const std::string name = NewWorkspace();
  ASSERT_TRUE(rt().Create(name, harness_->image(), {}).ok());
  Status again = rt().Create(name, harness_->image(), {});
  EXPECT_EQ(again.code(), Code::kAlreadyExists) << again.ToString();
  EXPECT_THAT(again.message(), HasSubstr(name));
  EXPECT_TRUE(rt().Inspect(name).ok()) << "the first one is untouched";
}

TEST_P(RuntimeContractTest, AMissingImageIsNotFound) {
  Status check = rt().CheckImage(harness_->missing_image());
  EXPECT_EQ(check.code(), Code::kNotFound) << check.ToString();
  EXPECT_THAT(check.message(), HasSubstr(harness_->missing_image()));
  const std::string name = NewWorkspace();
  Status created = rt().Create(name, harness_->missing_image(), {});
  EXPECT_EQ(created.code(), Code::kNotFound) << created.ToString();
  EXPECT_THAT(created.message(), HasSubstr(harness_->missing_image()));
  EXPECT_EQ(rt().Inspect(name).status().code(), Code::kNotFound) << "nothing half-made stays";
}

TEST_P(RuntimeContractTest, AMissingInstanceIsNotFoundAndErrorsNameTheWorkspace) {
  const std::string name = "ctest-never-created";
  auto inspected = rt().Inspect(name);
  EXPECT_EQ(inspected.status().code(), Code::kNotFound);
  EXPECT_THAT(inspected.status().message(), HasSubstr(name));
  Status started = rt().Start(name, {});
  EXPECT_EQ(started.code(), Code::kNotFound) << started.ToString();
  EXPECT_THAT(started.message(), HasSubstr(name));
  Status stopped = rt().Stop(name);
  EXPECT_EQ(stopped.code(), Code::kNotFound) << stopped.ToString();
  EXPECT_THAT(stopped.message(), HasSubstr(name));
  EXPECT_TRUE(rt().Remove(name).ok()) << "removing what is not there is ok";
}

TEST_P(RuntimeContractTest, StartAndStopAreIdempotent) {
  const std::string name = NewWorkspace();
  ASSERT_TRUE(rt().Create(name, harness_->image(), {}).ok());
  EXPECT_TRUE(rt().Stop(name).ok()) << "stopping a stopped instance";
  ASSERT_TRUE(rt().Start(name, {}).ok());
  Status again = rt().Start(name, {});
  EXPECT_TRUE(again.ok()) << again.ToString();
  EXPECT_TRUE(rt().WaitHealthy(name, harness_->healthy_timeout()).ok());
  ASSERT_TRUE(rt().Stop(name).ok());
  Status stopped_again = rt().Stop(name);
  EXPECT_TRUE(stopped_again.ok()) << stopped_again.ToString();
  EXPECT_FALSE(rt().Inspect(name)->running);
}

TEST_P(RuntimeContractTest, PortSocketReachesAServerInsideAndGoesAwayOnRemove) {
  const std::string name = NewWorkspace();
  ASSERT_TRUE(rt().Create(name, harness_->image(), {}).ok());
  ASSERT_TRUE(rt().Start(name, {}).ok());
  // The IDE answers first, so that its answering after the port's removal says the removal
  // left it alone.
  Status healthy = rt().WaitHealthy(name, harness_->healthy_timeout());
  ASSERT_TRUE(healthy.ok()) << healthy.ToString();
  Status serving = harness_->ServeInside(name, 8765);
  ASSERT_TRUE(serving.ok()) << serving.ToString();
  ASSERT_TRUE(rt().AddPort(name, 8765).ok());
  EXPECT_TRUE(rt().AddPort(name, 8765).ok()) << "adding twice is ok";
  const std::string port_socket = rt().PortSocketPath(name, 8765);
  EXPECT_TRUE(
      itest::PollUntil([&] { return StatusThrough(port_socket) == 200; }, std::chrono::seconds(10)))
      << "no 200 through " << port_socket;
  ASSERT_TRUE(rt().RemovePort(name, 8765).ok());
  EXPECT_FALSE(std::filesystem::exists(port_socket));
  EXPECT_TRUE(rt().RemovePort(name, 8765).ok()) << "removing twice is ok";
  EXPECT_EQ(StatusThrough(rt().SocketPath(name), "/healthz"), 200) << "the IDE's stays";

  EXPECT_EQ(rt().AddPort(name, 80).code(), Code::kInvalidArgument);
  ASSERT_TRUE(rt().AddPort(name, 8766).ok());
  ASSERT_TRUE(rt().Remove(name).ok());
  EXPECT_FALSE(std::filesystem::exists(rt().PortSocketPath(name, 8766)));
  EXPECT_FALSE(std::filesystem::exists(rt().SocketPath(name)));
}

TEST_P(RuntimeContractTest, StartWorksOverAStaleSocketFile) {
  const std::string name = NewWorkspace();
  ASSERT_TRUE(rt().Create(name, harness_->image(), {}).ok());
  std::filesystem::create_directories(std::filesystem::path(rt().SocketPath(name)).parent_path());
  { std::ofstream(rt().SocketPath(name)) << "stale"; }
  ASSERT_TRUE(rt().Start(name, {}).ok());
  Status healthy = rt().WaitHealthy(name, harness_->healthy_timeout());
  EXPECT_TRUE(healthy.ok()) << healthy.ToString();
}

}  // namespace rockpool::contract
