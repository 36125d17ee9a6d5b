// Workspace limits on the real daemon: the cgroup files inside a container show them, a fork
// bomb and a memory hog stop at them, writing past the disk size fails, and an instance made
// without limits gets them at its next start. Also times what the disk quota (btrfs qgroups)
// costs a copy and a patch.
//
// Instances are this test's own ("rp-itest-lim-<pid>-<n>"), copied from the image's template
// and removed afterwards; the image's spare is left alone (it may be a running deployment's).
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

#include "runtime/incus/images.h"
#include "runtime/incus/incus_client.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/instance_state.h"
#include "runtime/incus/instances.h"
#include "runtime/incus/limits.h"
#include "runtime/incus/socket.h"
#include "tests/integration/polling.h"
#include "tests/integration/test_project.h"

namespace rockpool::incus {
namespace {

using Clock = std::chrono::steady_clock;
using ::testing::HasSubstr;

const WorkspaceLimits kLimits{1.5, 512, 200, 3};

std::string TestImage() {
  const char* env = std::getenv("ROCKPOOL_TEST_IMAGE");
  return env != nullptr && *env != '\0' ? env : "rockpool-workspace";
}

double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

class LimitsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto socket = DetectSocket();
    if (!socket.ok()) GTEST_SKIP() << "no Incus/LXD daemon: " << socket.status().message();
    ASSERT_NE(testing_env::EngineTestProject(), "") << testing_env::kNoProject;
    client_ = IncusClient::ForSocket(*socket, testing_env::EngineTestProject());
    auto alias = GetImageAliasTarget(*client_, TestImage());
    if (!alias.ok()) GTEST_SKIP() << "daemon not answering: " << alias.status().message();
    if (!alias->has_value()) GTEST_SKIP() << "image alias " << TestImage() << " not in the daemon";
    IncusRuntimeOptions options;
    options.project = testing_env::EngineTestProject();
    options.network = testing_env::EngineTestBridge();
    options.socket_dir = "/tmp/rp-itest-lim-sockets-" + std::to_string(::getpid());
    auto runtime = IncusRuntime::Open(options, *socket);
    ASSERT_TRUE(runtime.ok()) << runtime.status().ToString();
    runtime_ = std::move(*runtime);
    auto tpl = runtime_->PrepareTemplate(TestImage());
    ASSERT_TRUE(tpl.ok()) << tpl.status().ToString();
    template_ = *tpl;
  }

  void TearDown() override {
    if (!runtime_) return;
    for (const auto& name : created_) EXPECT_TRUE(runtime_->Remove(name).ok()) << name;
  }

  // A stopped copy of the template labelled as workspace `name`, with `limits` in the create
  // request as IncusRuntime::Create sends them, or without (as made before limits existed).
  std::string Copy(const std::optional<WorkspaceLimits>& limits, double* ms = nullptr) {
    static std::atomic<int> n{0};
    std::string name = "itest-lim-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
    created_.push_back(name);
    InstancesPost post{.name = InstanceName(name),
                       .profiles = {"default"},
                       .source = {.type = "copy", .source = template_},
                       .config = {{kLabelManaged, "true"}, {kLabelWorkspace, name}}};
    if (limits) {
      InstanceLimits adder(client_, "", {"default"});
      EXPECT_TRUE(adder.AddTo(*limits, post.config, post.devices).ok());
    }
    auto t = Clock::now();
    Status created = CreateInstance(*client_, post, std::chrono::seconds(120));
    if (ms != nullptr) *ms = Ms(t);
    EXPECT_TRUE(created.ok()) << created.ToString();
    return name;
  }

  // Runs `script` with sh inside workspace `name`; its stdout, trimmed.
  std::string Sh(const std::string& name, const std::string& script, int* exit_code = nullptr) {
    auto r = runtime_->Exec(name, {"sh", "-c", script});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return "";
    if (exit_code != nullptr) *exit_code = r->exit_code;
    std::string out = r->out + (exit_code != nullptr ? r->err : "");
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  }

  // Polls until `script` exits 0 inside `name`, for up to `timeout`.
  bool Eventually(const std::string& name, const std::string& script,
                  std::chrono::seconds timeout) {
    return itest::PollUntil(
        [&] {
          auto r = runtime_->Exec(name, {"sh", "-c", script});
          return r.ok() && r->exit_code == 0;
        },
        timeout);
  }

  // Reads the cgroup files inside the container (cgroup v1: the container sees its own
  // cgroup as the root of each hierarchy). systemd mounts them early in boot; Debian's
  // systemd leaves the cpu controller unmounted when the host does not co-mount cpu and
  // cpuacct, so the test mounts it itself.
  void ExpectCgroupsShow(const std::string& name, const WorkspaceLimits& l) {
    ASSERT_TRUE(Eventually(name, "test -r /sys/fs/cgroup/pids/pids.max", std::chrono::seconds(30)))
        << "cgroups never mounted in " << name;
    EXPECT_EQ(Sh(name, "cat /sys/fs/cgroup/pids/pids.max"), std::to_string(l.processes));
    EXPECT_EQ(Sh(name, "cat /sys/fs/cgroup/memory/memory.limit_in_bytes"),
              std::to_string(l.memory_mib << 20));
    EXPECT_EQ(Sh(name,
                 "mkdir -p /run/rp-cpu && mount -t cgroup -o cpu cgroup /run/rp-cpu && "
                 "cat /run/rp-cpu/cpu.cfs_quota_us /run/rp-cpu/cpu.cfs_period_us | tr '\\n' ' '; "
                 "umount /run/rp-cpu"),
              std::to_string(CpuMillisPer100ms(l.cpus) * 1000) + " 100000");
  }

  // What the kernel says of each btrfs filesystem's quota accounting, for failure messages:
  // "<uuid> inconsistent=<0|1> drop_subtree_threshold=<n>".
  static std::string QuotaMarks() {
    std::string marks;
    std::error_code ec;
    for (const auto& fs : std::filesystem::directory_iterator("/sys/fs/btrfs", ec)) {
      const auto qgroups = fs.path() / "qgroups";
      if (!std::filesystem::exists(qgroups / "inconsistent", ec)) continue;
      std::string inconsistent, threshold;
      std::ifstream(qgroups / "inconsistent") >> inconsistent;
      std::ifstream(qgroups / "drop_subtree_threshold") >> threshold;
      marks += fs.path().filename().string() + " inconsistent=" + inconsistent +
               " drop_subtree_threshold=" + threshold + "; ";
    }
    return marks.empty() ? "(no btrfs quota accounting in sysfs)" : marks;
  }

  std::shared_ptr<IncusClient> client_;
  std::unique_ptr<IncusRuntime> runtime_;
  std::string template_;
  std::vector<std::string> created_;
};

TEST_F(LimitsIntegrationTest, CreateRequestLimitsShowInTheContainersCgroupsAndHold) {
  std::string name = Copy(kLimits);
  auto instance = GetInstance(*client_, InstanceName(name), false);
  ASSERT_TRUE(instance.ok());
  EXPECT_EQ(instance->Label(kCpuAllowanceKey), "150ms/100ms");
  EXPECT_EQ(instance->devices.at("root").at("size"), "3GiB");
  const std::string pool = instance->devices.at("root").at("pool");
  EXPECT_TRUE(Carries(*instance, LimitsPatch(kLimits, pool))) << "so a start sends no patch";
  ASSERT_TRUE(runtime_->Start(name, kLimits).ok());
  ExpectCgroupsShow(name, kLimits);

  // A fork bomb stops at the process limit; the whole process group is killed after 5 s and
  // the workspace answers again.
  auto t = Clock::now();
  int code = -1;
  Sh(name, "timeout -s KILL 5 sh -c 'bomb() { bomb | bomb & }; bomb; sleep 30' 2>/dev/null", &code);
  std::cerr << "[limits] fork bomb ran " << Ms(t) << " ms, exit " << code << "\n";
  t = Clock::now();
  EXPECT_TRUE(Eventually(name, "true", std::chrono::seconds(20)));
  std::cerr << "[limits] workspace answered " << Ms(t) << " ms after the bomb\n";
  EXPECT_THAT(Sh(name, "cat /sys/fs/cgroup/pids/pids.events"),
              ::testing::MatchesRegex("max [1-9][0-9]*"));
  // Forks stop at the limit; only tasks moved in from outside (the `lxc exec` processes this
  // test attaches) may go past it, which the kernel allows for migration.
  constexpr int kAttachedByExec = 2;
  EXPECT_LE(std::stoll("0" + Sh(name, "cat /sys/fs/cgroup/pids/pids.peak")),
            kLimits.processes + kAttachedByExec);

  // A memory hog is killed at the memory limit; the workspace lives on.
  Sh(name, "head -c 1500m /dev/zero | tail > /dev/null", &code);
  EXPECT_EQ(code, 137) << "reading 1500 MiB into memory under a 512 MiB limit is killed";
  EXPECT_THAT(Sh(name, "cat /sys/fs/cgroup/memory/memory.oom_control"),
              ::testing::ContainsRegex("oom_kill [1-9]"));
  EXPECT_EQ(Sh(name, "echo alive"), "alive");

  // Writing past the disk size fails.
  const std::string marks_before = QuotaMarks();
  std::string out = Sh(name, "dd if=/dev/zero of=/root/fill bs=1M count=4096 2>&1", &code);
  EXPECT_NE(code, 0) << out << "\nbtrfs quota accounting before the write: " << marks_before
                     << "; after: " << QuotaMarks();
  EXPECT_THAT(out, HasSubstr("quota exceeded")) << out;
  if (auto at = out.find("dd:"); at != std::string::npos) {
    std::cerr << "[limits] dd past 3 GiB: " << out.substr(at) << "\n";
  }
  Sh(name, "rm -f /root/fill");
}

TEST_F(LimitsIntegrationTest, AnInstanceWithoutLimitsGetsThemAtItsNextStart) {
  std::string name = Copy(std::nullopt);
  ASSERT_TRUE(runtime_->Start(name, kLimits).ok());
  ExpectCgroupsShow(name, kLimits);
  auto instance = GetInstance(*client_, InstanceName(name), false);
  ASSERT_TRUE(instance.ok());
  EXPECT_EQ(instance->devices.at("root").at("size"), "3GiB");
  // Stopped and started with other limits: the new ones apply.
  ASSERT_TRUE(runtime_->Stop(name).ok());
  const WorkspaceLimits other{0.5, 768, 300, 4};
  ASSERT_TRUE(runtime_->Start(name, other).ok());
  ExpectCgroupsShow(name, other);
}

// Not a check but a figure: what the disk quota costs the create paths. The first instance
// with a size makes the daemon turn btrfs quotas on for the pool.
TEST_F(LimitsIntegrationTest, DiskQuotaCostOfCopyAndPatch) {
  constexpr int kRuns = 3;
  double plain = 0, sized = 0, patch_plain = 0, patch_sized = 0, ms = 0;
  for (int i = 0; i < kRuns; ++i) {
    Copy(std::nullopt, &ms);
    plain += ms / kRuns;
    Copy(kLimits, &ms);
    sized += ms / kRuns;
    // The fast path's patch (labels + limits on a renamed spare), with and without a size.
    std::string target = InstanceName(Copy(std::nullopt));
    InstancePatch labels{.config = {{"user.rockpool.itest", std::to_string(i)}}};
    auto t = Clock::now();
    ASSERT_TRUE(PatchInstance(*client_, target, labels, "").ok());
    patch_plain += Ms(t) / kRuns;
    InstancePatch limited;
    ASSERT_TRUE(InstanceLimits(client_, "", {"default"})
                    .AddTo({.disk_gib = 5 + i}, limited.config, limited.devices)
                    .ok());
    t = Clock::now();
    ASSERT_TRUE(PatchInstance(*client_, target, limited, "").ok());
    patch_sized += Ms(t) / kRuns;
  }
  std::cerr << "[limits] mean of " << kRuns << ": copy " << plain << " ms, copy with size " << sized
            << " ms; patch " << patch_plain << " ms, patch with size " << patch_sized << " ms\n";
}

}  // namespace
}  // namespace rockpool::incus
