// idmap_bench: what security.idmap.isolated costs a workspace's create and start, on a bridge,
// profile and image copy of its own (test_network.h). For each setting (shared map, isolated
// map) and each of `runs` rounds: a cold create (copy of the template, no spare) to
// code-server's /healthz, a stop and start to /healthz, and a create from a spare (Prewarm,
// whose time is reported apart as it runs in the background) to /healthz. Prints medians.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "runtime/incus/images.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/socket.h"
#include "tests/integration/network/test_network.h"
#include "tests/integration/test_project.h"

namespace rockpool::nettest {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

#define CHECK_OK(expr)                                                 \
  do {                                                                 \
    Status st_ = (expr);                                               \
    if (!st_.ok()) {                                                   \
      std::fprintf(stderr, "%s: %s\n", #expr, st_.ToString().c_str()); \
      return 1;                                                        \
    }                                                                  \
  } while (0)

int Run(int runs) {
  const char* env = std::getenv("ROCKPOOL_TEST_IMAGE");
  const std::string source = env != nullptr && *env != '\0' ? env : "rockpool-workspace";
  auto socket = incus::DetectSocket();
  if (!socket.ok()) return std::fprintf(stderr, "%s\n", socket.status().ToString().c_str()), 1;
  TestNetwork net;
  CHECK_OK(net.Make(source));
  std::map<std::string, std::vector<double>> figures;
  for (bool isolated : {false, true}) {
    const std::string mode = isolated ? "isolated" : "shared  ";
    incus::IncusRuntimeOptions options;
    options.project = testing_env::EngineTestProject();
    options.socket_dir = net.dir() + "/sockets";
    options.profiles = {net.name()};
    options.network = net.name();
    options.isolated_idmap = isolated;
    auto opened = incus::IncusRuntime::Open(options, *socket);
    if (!opened.ok()) return 1;
    auto& runtime = **opened;
    auto tpl = runtime.PrepareTemplate(net.image());
    if (!tpl.ok()) return std::fprintf(stderr, "%s\n", tpl.status().ToString().c_str()), 1;
    for (int i = 0; i < runs; ++i) {
      const std::string ws = net.name() + "-" + (isolated ? "i" : "s") + std::to_string(i);
      // Cold: no spare, a copy of the template.
      auto t = Clock::now();
      CHECK_OK(runtime.Create(ws, net.image(), WorkspaceLimits{}));
      figures[mode + " cold create (copy)"].push_back(Ms(t));
      CHECK_OK(runtime.Configure(ws, {.base_path = "/workspace/" + ws}));
      CHECK_OK(runtime.StartAndWaitHealthy(ws, WorkspaceLimits{}, std::chrono::seconds(120)));
      figures[mode + " cold create -> healthz"].push_back(Ms(t));
      CHECK_OK(runtime.Stop(ws));
      t = Clock::now();
      CHECK_OK(runtime.StartAndWaitHealthy(ws, WorkspaceLimits{}, std::chrono::seconds(120)));
      figures[mode + " start -> healthz"].push_back(Ms(t));
      CHECK_OK(runtime.Remove(ws));
      // From a spare: Prewarm in the background, then the create the user waits for.
      t = Clock::now();
      CHECK_OK(runtime.Prewarm(net.image()));
      figures[mode + " prewarm (background)"].push_back(Ms(t));
      t = Clock::now();
      CHECK_OK(runtime.Create(ws, net.image(), WorkspaceLimits{}));
      CHECK_OK(runtime.Configure(ws, {.base_path = "/workspace/" + ws}));
      CHECK_OK(runtime.StartAndWaitHealthy(ws, WorkspaceLimits{}, std::chrono::seconds(120)));
      figures[mode + " spare create -> healthz"].push_back(Ms(t));
      CHECK_OK(runtime.Remove(ws));
    }
  }
  for (const auto& [what, ms] : figures) {
    std::printf("%-36s median %7.0f ms  min %7.0f  max %7.0f  (n=%zu)\n", what.c_str(), Median(ms),
                *std::min_element(ms.begin(), ms.end()), *std::max_element(ms.begin(), ms.end()),
                ms.size());
  }
  // The template and the spare made from the test's image copy.
  Host(
      "for i in $(lxc list -c n --format csv); do lxc config get $i "
      "user.rockpool.template.alias | grep -qx " +
      net.image() + " && lxc delete -f $i; done >/dev/null 2>&1");
  return 0;
}

}  // namespace
}  // namespace rockpool::nettest

int main(int argc, char** argv) {
  if (rockpool::testing_env::EngineTestProject().empty()) {
    std::fprintf(stderr, "%s\n", rockpool::testing_env::kNoProject);
    return 2;
  }
  return rockpool::nettest::Run(argc > 1 ? std::atoi(argv[1]) : 3);
}
