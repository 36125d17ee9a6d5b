// snapshot_bench: snapshot create and restore of one workspace, Rockpool next to the raw engine
// on the same instance. Per run, interleaved so both see the same machine load:
//   rockpool snapshot: POST /api/workspaces/<ws>/snapshots until its 201 (running workspace)
//   raw snapshot:      `lxc snapshot rp-<ws> <name>`
//   rockpool restore:  POST .../snapshots/<s>/restore (stopped workspace), then until the
//                      restore job is done (a snapshot request stops answering 409)
//   raw restore:       `lxc restore rp-<ws> <name>`
// Which of the two goes first alternates between runs.
// Talks to the control plane on $ROCKPOOL_STATE_DIR/local.sock (root's own socket) and to LXD
// through `lxc` in $ROCKPOOL_PROJECT: run it against a private Rockpool (scripts/harness.sh).
// Usage: snapshot_bench [runs]   (default 5)
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>

#include "bench/bench_util.h"
#include "client/api_client.h"
#include "http/curl_client.h"
#include "sys/process.h"

namespace rockpool::bench {
namespace {

RealProcessRunner runner;

std::string Env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

bool Lxc(std::vector<std::string> args) {
  args.insert(args.begin(), "lxc");
  args.push_back("--project");
  args.push_back(Env("ROCKPOOL_PROJECT", "rockpool"));
  auto r = runner.Run({.argv = args});
  if (!r.ok() || r->exit_code != 0) {
    std::fprintf(stderr, "%s: %s\n", CommandLine(args).c_str(),
                 r.ok() ? r->output.c_str() : r.status().message().c_str());
    return false;
  }
  return true;
}

double Timed(const std::function<bool()>& step, const char* what) {
  auto t0 = Clock::now();
  if (!step()) {
    std::fprintf(stderr, "%s failed; aborting\n", what);
    std::exit(1);
  }
  return SecondsSince(t0);
}

bool WaitFor(client::ApiClient& api, const std::string& name, WorkspaceStatus status) {
  return PollUntil(
      [&] {
        auto ws = api.Get(name);
        return ws.ok() && ws->status == status;
      },
      std::chrono::seconds(120));
}

// Done when the workspace takes snapshot requests again: while the restore job is pending,
// every snapshot request answers 409; afterwards a missing snapshot answers 404.
bool RestoreDone(client::ApiClient& api, const std::string& name) {
  return PollUntil(
      [&] { return api.DeleteSnapshot(name, "no-such-snapshot").code() == Code::kNotFound; },
      std::chrono::seconds(120));
}

int Main(int runs) {
  CurlHttpClient http(
      HttpEndpoint::Unix(Env("ROCKPOOL_STATE_DIR", "/var/lib/rockpool") + "/local.sock"));
  client::ApiClient api(http);
  if (Status up = api.Health(); !up.ok()) {
    std::fprintf(stderr, "control plane not reachable (%s): start a private Rockpool first\n",
                 up.ToString().c_str());
    return 1;
  }
  const std::string name = "bench-snap-" + std::to_string(getpid());
  const std::string instance = "rp-" + name;
  if (!api.Create(name, "").ok() || !WaitFor(api, name, WorkspaceStatus::kRunning)) {
    std::fprintf(stderr, "could not create workspace %s\n", name.c_str());
    return 1;
  }
  std::map<std::string, std::vector<double>> t;
  for (int i = 0; i < runs; ++i) {
    const std::string ours = "r" + std::to_string(i);
    const std::string raw = "raw" + std::to_string(i);
    // Running: snapshots of both kinds, in alternating order (the first snapshot after a
    // start pays for what the start wrote), then restores of each while stopped.
    auto ours_snapshot = [&] {
      t["rockpool snapshot (running)"].push_back(
          Timed([&] { return api.CreateSnapshot(name, ours).ok(); }, "rockpool snapshot"));
    };
    auto raw_snapshot = [&] {
      t["raw lxc snapshot (running)"].push_back(Timed(
          [&] {
            return Lxc({"snapshot", instance, raw});
          },
          "lxc snapshot"));
    };
    auto ours_restore = [&] {
      t["rockpool restore (stopped)"].push_back(
          Timed([&] { return api.RestoreSnapshot(name, ours).ok() && RestoreDone(api, name); },
                "rockpool restore"));
    };
    auto raw_restore = [&] {
      t["raw lxc restore (stopped)"].push_back(Timed(
          [&] {
            return Lxc({"restore", instance, raw});
          },
          "lxc restore"));
    };
    if (i % 2 == 0) {
      ours_snapshot();
      raw_snapshot();
    } else {
      raw_snapshot();
      ours_snapshot();
    }
    if (!api.Stop(name).ok() || !WaitFor(api, name, WorkspaceStatus::kStopped)) return 1;
    if (i % 2 == 0) {
      ours_restore();
      raw_restore();
    } else {
      raw_restore();
      ours_restore();
    }
    if (!Lxc({"delete", instance + "/" + raw})) return 1;
    if (!api.DeleteSnapshot(name, ours).ok()) return 1;
    if (!api.Start(name).ok() || !WaitFor(api, name, WorkspaceStatus::kRunning)) return 1;
  }
  std::printf("snapshot_bench: %d runs on workspace %s\n", runs, name.c_str());
  for (const char* row : {"rockpool snapshot (running)", "raw lxc snapshot (running)",
                          "rockpool restore (stopped)", "raw lxc restore (stopped)"}) {
    PrintRow(row, Summarize(t[row]));
  }
  if (!api.Stop(name).ok() || !WaitFor(api, name, WorkspaceStatus::kStopped) ||
      !api.Delete(name).ok()) {
    std::fprintf(stderr, "could not remove workspace %s; remove it with rockpool ws rm\n",
                 name.c_str());
    return 1;
  }
  PollUntil([&] { return !api.Get(name).ok(); }, std::chrono::seconds(60));
  return 0;
}

}  // namespace
}  // namespace rockpool::bench

int main(int argc, char** argv) { return rockpool::bench::Main(argc > 1 ? std::atoi(argv[1]) : 5); }
