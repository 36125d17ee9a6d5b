// idle_bench: idle detection latency of a running Rockpool: the time from a workspace's idle
// timeout running out to its stop being observed through the API. Per run: create a workspace
// with a short timeout, wait until its IDE answers through Caddy (that request is its last
// activity), then poll the API every 200 ms; reports, from the timeout on, when the workspace
// was seen `stopping` (the idle check noticed) and `stopped` (the stop job done).
//
// Runs against a private Rockpool only (scripts/harness.sh start_private exports it), started
// with a short check interval, e.g. ROCKPOOL_IDLE_CHECK_INTERVAL=15s (the default) or 2s:
//   idle_bench [runs=5] [timeout_seconds=20]
// The runs go in parallel (one workspace each); every workspace is deleted at the end.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "client/api_client.h"
#include "http/curl_client.h"
#include "http/encoding.h"

namespace rockpool::bench {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

struct Run {
  std::string name;
  double noticed = -1;  // seconds after the timeout: seen stopping
  double stopped = -1;  // seconds after the timeout: seen stopped
  std::string reason;
  std::string error;
};

int IdeStatus(const std::string& name, const client::Credentials& creds) {
  CurlHttpClient http(HttpEndpoint::Tcp("http://127.0.0.1:" + Env("ROCKPOOL_WORKSPACE_PORT")));
  HttpRequest req{.target = "/workspace/" + name + "/healthz", .timeout = std::chrono::seconds(5)};
  req.headers.emplace_back("Authorization",
                           "Basic " + Base64(creds.username + ":" + creds.password));
  auto r = http.Send(req);
  return r.ok() ? r->status : 0;
}

void Measure(Run& run, int64_t timeout_s, const client::Credentials& creds) {
  CurlHttpClient http(HttpEndpoint::Tcp("http://127.0.0.1:" + Env("ROCKPOOL_CONTROL_PORT")));
  client::ApiClient api(http, creds);
  auto created = api.Create(run.name, "", {}, timeout_s);
  if (!created.ok()) {
    run.error = created.status().message();
    return;
  }
  if (!PollUntil(
          [&] {
            auto ws = api.Get(run.name);
            return ws.ok() && ws->status == WorkspaceStatus::kRunning &&
                   IdeStatus(run.name, creds) == 200;
          },
          std::chrono::minutes(5))) {
    run.error = "not running with its IDE answering after 5 min";
    return;
  }
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);  // after the last request
  for (;;) {
    auto ws = api.Get(run.name);
    const double after = -std::chrono::duration<double>(deadline - Clock::now()).count();
    if (ws.ok() && ws->status == WorkspaceStatus::kStopping && run.noticed < 0) run.noticed = after;
    if (ws.ok() && ws->status == WorkspaceStatus::kStopped) {
      if (run.noticed < 0) run.noticed = after;
      run.stopped = after;
      run.reason = ws->status_reason.value_or("");
      return;
    }
    if (ws.ok() && ws->status == WorkspaceStatus::kError) {
      run.error = "error: " + ws->status_reason.value_or("");
      return;
    }
    if (after > 300) {
      run.error = "still not stopped 300 s after its timeout";
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

void Remove(const std::string& name, const client::Credentials& creds) {
  CurlHttpClient http(HttpEndpoint::Tcp("http://127.0.0.1:" + Env("ROCKPOOL_CONTROL_PORT")));
  client::ApiClient api(http, creds);
  PollUntil(
      [&] {
        auto ws = api.Get(name);
        if (!ws.ok()) return ws.status().code() == Code::kNotFound;
        if (ws->status == WorkspaceStatus::kRunning) (void)api.Stop(name);
        if (ws->status == WorkspaceStatus::kStopped || ws->status == WorkspaceStatus::kError) {
          (void)api.Delete(name);
        }
        return false;
      },
      std::chrono::minutes(3));
}

int Main(int argc, char** argv) {
  const std::string state = Env("ROCKPOOL_STATE_DIR");
  if (state.empty() || state == "/var/lib/rockpool" || Env("ROCKPOOL_CONTROL_PORT").empty()) {
    std::fprintf(stderr,
                 "idle_bench: no private Rockpool in the environment; run it after "
                 "scripts/harness.sh start_private\n");
    return 2;
  }
  const int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  const int64_t timeout_s = argc > 2 ? std::atoll(argv[2]) : 20;
  const client::Credentials creds{Env("ROCKPOOL_USERNAME"), Env("ROCKPOOL_PASSWORD")};
  std::vector<Run> results(static_cast<size_t>(runs));
  std::vector<std::thread> threads;
  for (int i = 0; i < runs; ++i) {
    results[static_cast<size_t>(i)].name =
        "idle-bench-" + std::to_string(getpid()) + "-" + std::to_string(i);
    threads.emplace_back([&, i] { Measure(results[static_cast<size_t>(i)], timeout_s, creds); });
  }
  for (auto& t : threads) t.join();
  threads.clear();
  for (const Run& r : results) threads.emplace_back([&] { Remove(r.name, creds); });
  for (auto& t : threads) t.join();

  std::vector<double> noticed, stopped;
  for (const Run& r : results) {
    if (!r.error.empty()) {
      std::printf("%s: %s\n", r.name.c_str(), r.error.c_str());
      continue;
    }
    std::printf("%s: stopping %+.1f s, stopped %+.1f s after the timeout (%s)\n", r.name.c_str(),
                r.noticed, r.stopped, r.reason.c_str());
    noticed.push_back(r.noticed);
    stopped.push_back(r.stopped);
  }
  std::printf("idle timeout %lld s, check interval %s, %d runs in parallel\n",
              static_cast<long long>(timeout_s),
              Env("ROCKPOOL_IDLE_CHECK_INTERVAL").empty()
                  ? "15s (default)"
                  : Env("ROCKPOOL_IDLE_CHECK_INTERVAL").c_str(),
              runs);
  PrintRow("timeout -> seen stopping (the idle check noticed)", Summarize(noticed));
  PrintRow("timeout -> seen stopped (target: within 60 s)", Summarize(stopped));
  return noticed.size() == results.size() ? 0 : 1;
}

}  // namespace
}  // namespace rockpool::bench

int main(int argc, char** argv) { return rockpool::bench::Main(argc, argv); }
