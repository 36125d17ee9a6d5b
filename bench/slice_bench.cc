// slice_bench: how long until a person can use a workspace, Rockpool next to the raw engine.
//
// Per run, interleaved so every contender sees the same machine load:
//   rockpool create: Runtime::Create (taking the spare Prewarm keeps, as the control plane's
//     reconciler does between creates) + BootNewInstance (the worker's steps), then GET
//     through Caddy until the workbench is 200
//   rockpool start: stop, then StartWorkspaceInstance and the same GET
//   rockpool warm create: the same as rockpool create, with a booted member in the image's
//     warm pool (Runtime::FillWarmPools) to claim
//   rockpool cold create while the pool refills: rockpool create, started together with the
//     making of a warm member
//   API warm create: POST /api/workspaces to the running control plane once its own warm pool
//     has a member, then the same GET, timed from the POST
//   raw launch: `lxc launch <image>` (uid-shifting an image copy) until /healthz is 200
//   raw copy+start: `lxc copy <template>` + `lxc start`, the engine work of a create without
//     a spare
//   raw start: `lxc stop` + `lxc start` of the raw launch, until /healthz is 200
// The raw instances reach code-server through a proxy device from a profile made here.
// Everything the bench makes lives in an LXD project and bridge of its own (rp-bench,
// rpbench0), removed at the end: LXD refuses two instances of one name on a bridge whatever
// their projects, and each deployment's template is named after its image.
//
// With ROCKPOOL_RUNTIME=tart (macOS) the workspaces' host sockets belong to the control
// plane's TartRuntime, so only the API rows are measured: create and start through the
// running control plane, each until the workbench is 200 through Caddy.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include "bench/bench_util.h"
#include "client/api_client.h"
#include "core/workspace.h"
#include "http/curl_client.h"
#include "http/encoding.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/instances.h"
#include "runtime/incus/socket.h"
#include "runtime/lifecycle.h"
#include "sys/process.h"

namespace rockpool::bench {
namespace {

constexpr char kImage[] = "rockpool-workspace";
constexpr char kRawProfile[] = "rp-bench-raw";
constexpr char kBenchProject[] = "rp-bench";
constexpr char kBenchBridge[] = "rpbench0";
const std::string kRawSocket = "/var/lib/rockpool/bench-raw.sock";

RealProcessRunner runner;

// `lxc <args>`, in the bench's project unless `global` (networks, projects); says what
// failed unless `quiet`.
bool Lxc(std::vector<std::string> args, bool global = false, bool quiet = false) {
  args.insert(args.begin(), "lxc");
  if (!global) {
    args.push_back("--project");
    args.push_back(kBenchProject);
  }
  auto r = runner.Run({.argv = args});
  if (!r.ok() || r->exit_code != 0) {
    if (quiet) return false;
    std::fprintf(stderr, "%s: %s\n", CommandLine(args).c_str(),
                 r.ok() ? r->output.c_str() : r.status().message().c_str());
    return false;
  }
  return true;
}

bool Answers200(HttpClient& http, const std::string& target) {
  auto r = http.Send({.target = target, .timeout = std::chrono::seconds(2)});
  return r.ok() && r->status == 200;
}

bool RawHealthy() {
  CurlHttpClient http(HttpEndpoint::Unix(kRawSocket));
  return PollUntil([&] { return Answers200(http, "/healthz"); }, std::chrono::seconds(90));
}

bool WorkbenchThroughCaddy(const std::string& name) {
  CurlHttpClient http(HttpEndpoint::Tcp("http://127.0.0.1:8081"), BasicAuthFromEnvironment());
  const std::string page = "/workspace/" + name + "/?folder=/home/admin/workspace";
  std::string last = "no answer";
  const bool answered = PollUntil(
      [&] {
        auto r = http.Send({.target = page, .timeout = std::chrono::seconds(2)});
        last = r.ok() ? "HTTP " + std::to_string(r->status) : r.status().message();
        return r.ok() && r->status == 200;
      },
      std::chrono::seconds(90));
  if (!answered) std::fprintf(stderr, "%s via Caddy: last answer %s\n", page.c_str(), last.c_str());
  return answered;
}

void DropBenchProject() {
  auto listed = runner.Run(
      {.argv = {"lxc", "list", "--project", kBenchProject, "-c", "n", "--format", "csv"}});
  if (listed.ok() && listed->exit_code == 0) {
    std::istringstream names(listed->output);
    for (std::string name; std::getline(names, name);) {
      if (!name.empty()) Lxc({"delete", "--force", name});
    }
  }
  Lxc({"profile", "delete", kRawProfile}, false, true);
  Lxc({"project", "delete", kBenchProject}, true, true);
  Lxc({"network", "delete", kBenchBridge}, true, true);
}

bool MakeBenchProject() {
  DropBenchProject();
  bool bridge = false;
  for (int subnet = 77; subnet < 87 && !bridge; ++subnet) {
    bridge = Lxc({"network", "create", kBenchBridge,
                  "ipv4.address=10.251." + std::to_string(subnet) + ".1/24", "ipv4.nat=true",
                  "ipv6.address=none"},
                 true, true);
  }
  if (!bridge) std::fprintf(stderr, "could not make bridge %s\n", kBenchBridge);
  return bridge &&
         Lxc({"project", "create", kBenchProject, "-c", "features.images=false", "-c",
              "features.profiles=true", "-c", "features.storage.volumes=false"},
             true) &&
         Lxc({"profile", "device", "add", "default", "root", "disk", "path=/", "pool=rockpool"}) &&
         Lxc({"profile", "device", "add", "default", "eth0", "nic",
              std::string("network=") + kBenchBridge, "name=eth0"});
}

void MakeRawProfile() {
  Lxc({"profile", "delete", kRawProfile}, false, true);  // left over from an interrupted run
  std::filesystem::remove(kRawSocket);
  Lxc({"profile", "create", kRawProfile});
  Lxc({"profile", "device", "add", kRawProfile, "code", "proxy", "listen=unix:" + kRawSocket,
       "connect=tcp:127.0.0.1:8080", "bind=host", "mode=0660"});
}

// The control plane's path: POST, the worker runs the create job, poll until running.
bool CreateThroughApi(client::ApiClient& api, const std::string& name) {
  if (!api.Create(name, kImage).ok()) return false;
  return PollUntil(
      [&] {
        auto ws = api.Get(name);
        return ws.ok() && ws->status == WorkspaceStatus::kRunning;
      },
      std::chrono::seconds(90));
}

bool DeleteThroughApi(client::ApiClient& api, const std::string& name) {
  auto stopped = api.Stop(name);
  if (!stopped.ok()) return false;
  PollUntil([&] { return api.Get(name)->status == WorkspaceStatus::kStopped; },
            std::chrono::seconds(60));
  if (!api.Delete(name).ok()) return false;
  return PollUntil([&] { return !api.Get(name).ok(); }, std::chrono::seconds(60));
}

// A deleted instance's file system is freed in the background for a few seconds after the
// delete returns; every timing starts after that, whoever deleted last.
void Settle() { std::this_thread::sleep_for(std::chrono::seconds(5)); }

// What the control plane's reconciler does between creates: keep a spare copy ready, made
// while nothing else runs (a copy leaves the engine busy for a while after it returns).
bool EnsureSpare(Runtime& rt) {
  auto ready = rt.IsPrewarmed(kImage);
  if (ready.ok() && *ready) return true;
  if (Status warmed = rt.Prewarm(kImage); !warmed.ok()) {
    std::fprintf(stderr, "prewarm: %s\n", warmed.ToString().c_str());
    return false;
  }
  std::this_thread::sleep_for(std::chrono::seconds(5));
  return true;
}

// Fills the image's warm pool to one ready member (or empties it, with size 0), then lets
// the engine settle.
bool FillPool(Runtime& rt, int size) {
  for (int i = 0; i < 5; ++i) {
    auto made = rt.FillWarmPools({{kImage, size}}, {});
    if (!made.ok()) {
      std::fprintf(stderr, "fill the warm pool: %s\n", made.status().ToString().c_str());
      return false;
    }
    if (*made == 0) break;
  }
  Settle();
  return true;
}

// The warm members (`ready`: only those ready) in `engine`'s project.
std::vector<incus::Instance> WarmMembers(incus::IncusClient& engine, bool ready = true) {
  std::vector<incus::Instance> out;
  auto all = incus::GetInstances(engine, true);
  if (!all.ok()) return out;
  for (const incus::Instance& i : *all) {
    if (i.Label(incus::kLabelWarm) == "true" &&
        (!ready || i.Label(incus::kLabelSpareReady) == "true")) {
      out.push_back(i);
    }
  }
  return out;
}

// What a ready warm member uses in memory, in MiB (the engine's cgroup figure); -1 unknown.
double MemberMemoryMiB(incus::IncusClient& engine, const std::string& member) {
  auto state = engine.Call({.path = "/1.0/instances/" + member + "/state"});
  if (!state.ok()) return -1;
  return state->metadata["memory"].value("usage", 0.0) / (1024.0 * 1024.0);
}

// Says what failed, for a step that must succeed.
bool Succeeded(const Status& status, const char* what) {
  if (!status.ok()) std::fprintf(stderr, "%s: %s\n", what, status.ToString().c_str());
  return status.ok();
}

double Timed(const std::function<bool()>& step) {
  auto t0 = Clock::now();
  if (!step()) {
    std::fprintf(stderr, "step failed; aborting\n");
    std::exit(1);
  }
  return SecondsSince(t0);
}

// The API rows alone, for a control plane on any runtime (Tart's host sockets live in the
// control plane's process, so this bench must not run a runtime of its own next to it).
int ApiOnlyMain(int runs) {
  CurlHttpClient api_http(HttpEndpoint::Unix("/var/lib/rockpool/local.sock"));
  client::ApiClient api(api_http);
  if (Status up = api.Health(); !up.ok()) {
    std::fprintf(stderr, "control plane not running (%s): start it with rockpool up\n",
                 up.ToString().c_str());
    return 1;
  }
  std::map<std::string, std::vector<double>> t;
  const std::string tag = std::to_string(getpid());
  for (int i = 0; i < runs; ++i) {
    const std::string name = "bench-api-" + tag + "-" + std::to_string(i);
    t["rockpool API create -> running -> workbench 200"].push_back(
        Timed([&] { return CreateThroughApi(api, name) && WorkbenchThroughCaddy(name); }));
    if (!api.Stop(name).ok() ||
        !PollUntil([&] { return api.Get(name)->status == WorkspaceStatus::kStopped; },
                   std::chrono::seconds(60))) {
      std::fprintf(stderr, "stop %s failed\n", name.c_str());
      return 1;
    }
    t["rockpool API start -> running -> workbench 200"].push_back(Timed([&] {
      return api.Start(name).ok() &&
             PollUntil([&] { return api.Get(name)->status == WorkspaceStatus::kRunning; },
                       std::chrono::seconds(90)) &&
             WorkbenchThroughCaddy(name);
    }));
    DeleteThroughApi(api, name);
    std::fprintf(stderr, "run %d/%d done\n", i + 1, runs);
  }
  std::printf("\nslice_bench (API only): %d runs, image %s\n", runs, kImage);
  for (auto& [what, v] : t) PrintRow(what, Summarize(v));
  return 0;
}

}  // namespace

int Main(int runs) {
  if (const char* rt = std::getenv("ROCKPOOL_RUNTIME");
      rt != nullptr && std::string(rt) == "tart") {
    return ApiOnlyMain(runs);
  }
  if (!MakeBenchProject()) return 1;
  auto runtime = incus::IncusRuntime::Open({.network = kBenchBridge, .project = kBenchProject});
  if (!runtime.ok()) {
    std::fprintf(stderr, "%s\n", runtime.status().message().c_str());
    return 1;
  }
  Runtime& rt = **runtime;
  auto tpl = (*runtime)->PrepareTemplate(kImage);
  if (!tpl.ok()) {
    std::fprintf(stderr, "%s\n", tpl.status().message().c_str());
    return 1;
  }
  MakeRawProfile();
  auto engine_socket = incus::DetectSocket();
  if (!engine_socket.ok()) return 1;
  auto bench_engine = incus::IncusClient::ForSocket(*engine_socket, kBenchProject);
  const char* project = std::getenv("ROCKPOOL_PROJECT");
  auto deployment_engine = incus::IncusClient::ForSocket(
      *engine_socket, project != nullptr && *project != '\0' ? project : "rockpool");
  CurlHttpClient api_http(HttpEndpoint::Unix("/var/lib/rockpool/local.sock"));
  client::ApiClient api(api_http);
  const bool with_api = api.Health().ok();
  if (!with_api) std::fprintf(stderr, "control plane not running: API figures skipped\n");
  std::map<std::string, std::vector<double>> t;
  const std::string tag = std::to_string(getpid());
  for (int i = 0; i < runs; ++i) {
    const std::string rp = "bench-rp-" + tag + "-" + std::to_string(i);
    const std::string raw = "bench-raw-" + tag + "-" + std::to_string(i);
    const std::string copy = "bench-copy-" + tag + "-" + std::to_string(i);
    if (!EnsureSpare(rt) || !FillPool(rt, 0)) return 1;  // cold: no warm member to claim
    t["rockpool create -> workbench 200 via Caddy"].push_back(Timed([&] {
      return Succeeded(rt.Create(rp, kImage, {}), "create") &&
             Succeeded(BootNewInstance(rt, rp, {}), "boot") && WorkbenchThroughCaddy(rp);
    }));
    // Refilled here, so the control plane's reconciler does not refill it during a timing.
    if (!EnsureSpare(rt)) return 1;
    if (Status stopped = rt.Stop(rp); !stopped.ok()) {
      std::fprintf(stderr, "stop: %s\n", stopped.ToString().c_str());
      return 1;
    }
    t["rockpool start -> workbench 200 via Caddy"].push_back(Timed([&] {
      return Succeeded(StartWorkspaceInstance(rt, rp, {}), "start") && WorkbenchThroughCaddy(rp);
    }));
    (void)rt.Remove(rp);
    Settle();

    t["raw lxc launch <image> -> /healthz 200"].push_back(Timed([&] {
      return Lxc({"launch", kImage, raw, "-p", "default", "-p", kRawProfile}) && RawHealthy();
    }));
    Lxc({"stop", "--force", raw});
    t["raw lxc start -> /healthz 200"].push_back(Timed([&] {
      return Lxc({"start", raw}) && RawHealthy();
    }));
    Lxc({"delete", "--force", raw});
    Settle();

    t["raw lxc copy <template> + start -> /healthz 200"].push_back(Timed([&] {
      return Lxc({"copy", *tpl, copy, "--profile", "default", "--profile", kRawProfile}) &&
             Lxc({"start", copy}) && RawHealthy();
    }));
    Lxc({"delete", "--force", copy});
    Settle();

    // The warm pool, on this bench's own runtime.
    const std::string warm = "bench-warm-" + tag + "-" + std::to_string(i);
    if (!FillPool(rt, 1)) return 1;
    for (const incus::Instance& m : WarmMembers(*bench_engine)) {
      t["idle warm member memory (MiB)"].push_back(MemberMemoryMiB(*bench_engine, m.name));
    }
    t["rockpool warm create -> workbench 200 via Caddy"].push_back(Timed([&] {
      return Succeeded(rt.Create(warm, kImage, {}), "create") &&
             Succeeded(BootNewInstance(rt, warm, {}), "boot") && WorkbenchThroughCaddy(warm);
    }));
    (void)rt.Remove(warm);
    Settle();
    const std::string during = "bench-refill-" + tag + "-" + std::to_string(i);
    if (!EnsureSpare(rt)) return 1;
    // As in the control plane, where the worker's queued job is what `busy` sees: the refill
    // has begun (its member is being copied) when the create comes.
    std::atomic<bool> creating{false};
    std::thread refill([&] {
      (void)rt.FillWarmPools({{kImage, 1}}, {}, [&] { return creating.load(); });
    });
    PollUntil([&] { return !WarmMembers(*bench_engine, false).empty(); }, std::chrono::seconds(30));
    creating = true;
    t["rockpool cold create while the pool refills"].push_back(Timed([&] {
      return Succeeded(rt.Create(during, kImage, {}), "create") &&
             Succeeded(BootNewInstance(rt, during, {}), "boot") && WorkbenchThroughCaddy(during);
    }));
    creating = false;
    refill.join();
    (void)rt.Remove(during);
    if (!FillPool(rt, 0)) return 1;

    if (with_api) {
      const std::string viaapi = "bench-apiwarm-" + tag + "-" + std::to_string(i);
      if (!PollUntil([&] { return !WarmMembers(*deployment_engine).empty(); },
                     std::chrono::seconds(120))) {
        std::fprintf(stderr, "the control plane's warm pool stays empty (ROCKPOOL_WARM_POOL=0?)\n");
        return 1;
      }
      Settle();
      t["API warm create: POST -> workbench 200"].push_back(
          Timed([&] { return api.Create(viaapi, kImage).ok() && WorkbenchThroughCaddy(viaapi); }));
      PollUntil([&] { return api.Get(viaapi)->status == WorkspaceStatus::kRunning; },
                std::chrono::seconds(60));
      DeleteThroughApi(api, viaapi);
      Settle();
    }
    std::fprintf(stderr, "run %d/%d done\n", i + 1, runs);
  }
  runtime->reset();
  DropBenchProject();

  std::printf("\nslice_bench: %d runs, image %s, template %s\n", runs, kImage, tpl->c_str());
  std::map<std::string, Summary> s;
  for (auto& [what, v] : t) {
    s[what] = Summarize(v);
    PrintRow(what, s[what], what.find("MiB") != std::string::npos ? "MiB" : "s");
    std::string runs;
    for (double x : v) runs += (runs.empty() ? "" : " ") + std::to_string(x).substr(0, 5);
    std::printf("%60s runs in order: %s\n", "", runs.c_str());
  }
  auto overhead = [&](const char* ours, const char* raw) {
    return 100.0 * (s[ours].median - s[raw].median) / s[raw].median;
  };
  std::printf("rockpool create vs raw copy+start (same engine work): %+.1f%%\n",
              overhead("rockpool create -> workbench 200 via Caddy",
                       "raw lxc copy <template> + start -> /healthz 200"));
  std::printf("rockpool create vs raw lxc launch:                    %+.1f%%\n",
              overhead("rockpool create -> workbench 200 via Caddy",
                       "raw lxc launch <image> -> /healthz 200"));
  std::printf(
      "rockpool start vs raw lxc start:                      %+.1f%%\n",
      overhead("rockpool start -> workbench 200 via Caddy", "raw lxc start -> /healthz 200"));
  std::printf("cold create while the pool refills vs cold create:    %+.1f%%\n",
              overhead("rockpool cold create while the pool refills",
                       "rockpool create -> workbench 200 via Caddy"));
  return 0;
}

}  // namespace rockpool::bench

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  return rockpool::bench::Main(runs < 1 ? 5 : runs);
}
