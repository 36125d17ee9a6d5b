// proxy_auth_bench: what forward auth costs a workspace request. A real Caddy (started through
// CaddyDaemon in a temp dir) serves GET /workspace/alpha/x from a fake workspace on a unix
// socket, once with Rockpool's bootstrap config (every request first asks a fake control
// plane, also on a unix socket, GET /internal/authorize) and once with the same config minus
// the forward-auth route. Latency p50/p99 at concurrency 1 and 32, the two configs alternating
// in one run; each figure is the median over the rounds.
//   proxy_auth_bench [--rounds N] [--requests N]   (requests per client per measurement)
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "http/curl_client.h"
#include "proxy/caddy/caddy_config.h"
#include "proxy/caddy/caddy_daemon.h"
#include "proxy/caddy/caddy_proxy.h"
#include "sys/process.h"
#include "tests/integration/proxy/test_upstream.h"

namespace rockpool::bench {
namespace {

using testing::TestUpstream;

struct Percentiles {
  double p50 = 0, p99 = 0;
};

Percentiles Of(std::vector<double> micros) {
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) { return micros[static_cast<size_t>(q * (micros.size() - 1))]; };
  return {at(0.50), at(0.99)};
}

// `clients` threads, each with its own keep-alive connection, send `requests` GETs each.
// Returns every request's latency in microseconds; a failed or non-200 answer aborts.
std::vector<double> Measure(int port, int clients, int requests) {
  std::vector<std::vector<double>> per_client(clients);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      CurlHttpClient client(HttpEndpoint::Tcp("http://127.0.0.1:" + std::to_string(port)));
      for (int i = 0; i < requests; ++i) {
        auto start = Clock::now();
        auto r = client.Send({.target = "/workspace/alpha/x"});
        per_client[c].push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        if (!r.ok() || r->status != 200) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  if (failures > 0) {
    std::fprintf(stderr, "%d requests failed\n", failures.load());
    std::exit(1);
  }
  std::vector<double> all;
  for (auto& v : per_client) all.insert(all.end(), v.begin(), v.end());
  return all;
}

Status Load(HttpClient& admin, const nlohmann::json& doc) {
  HttpRequest request{
      .method = "POST", .target = "/load", .headers = {{"Host", ""}}, .body = doc.dump()};
  request.headers.emplace_back("Content-Type", "application/json");
  auto r = admin.Send(request);
  if (!r.ok()) return r.status();
  if (r->status != 200) return Status::Internal("load: " + r->body);
  return Status::Ok();
}

int Run(int rounds, int requests) {
  char tmpl[] = "/tmp/rp-proxy-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return 1;
  std::filesystem::path dir = tmpl;
  std::filesystem::create_directories(dir / "sockets");
  const std::string admin_address = CaddyAdminSocketAddress((dir / "state").string());
  CurlHttpClient admin_http(CaddyAdminEndpoint(admin_address));
  CaddyProxy proxy(admin_http, admin_address);
  RealProcessRunner runner;
  CaddyDaemonOptions options{.binary = "/usr/bin/caddy", .state_dir = (dir / "state").string()};
  CaddyDaemon daemon(runner, proxy, options);
  if (Status s = daemon.EnsureRunning(); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 1;
  }
  auto control = TestUpstream::OnUnixSocket("control", (dir / "control.sock").string());
  control->SetResponder([](const testing::RecordedRequest&) {
    return testing::Reply{200, {}, ""};
  });
  auto alpha = TestUpstream::OnUnixSocket("alpha", (dir / "sockets" / "alpha.sock").string());

  ProxyConfig config;
  config.socket_dir = (dir / "sockets").string();
  config.control_port = testing::FreeLoopbackPort();
  config.workspace_port = testing::FreeLoopbackPort();
  config.control_plane_upstreams = {"unix/" + (dir / "control.sock").string()};
  nlohmann::json with_auth = BuildBootstrapConfig(config, admin_address);
  nlohmann::json without_auth = with_auth;
  auto& routes = without_auth["apps"]["http"]["servers"]["workspaces"]["routes"];
  routes.erase(routes.begin() + 2);  // the forward-auth route (see workspace_routes.cc)

  struct Series {
    std::vector<double> p50, p99;
  };
  Series series[2][2];  // [auth][concurrency 1, 32]
  const int concurrency[2] = {1, 32};
  for (int round = 0; round < rounds; ++round) {
    for (int auth = 0; auth < 2; ++auth) {
      if (Status s = Load(admin_http, auth ? with_auth : without_auth); !s.ok()) {
        std::fprintf(stderr, "%s\n", s.message().c_str());
        return 1;
      }
      Measure(config.workspace_port, 4, 100);  // warm up after the load
      for (int c = 0; c < 2; ++c) {
        int per_client = concurrency[c] == 1 ? requests * 8 : requests;
        Percentiles p = Of(Measure(config.workspace_port, concurrency[c], per_client));
        series[auth][c].p50.push_back(p.p50);
        series[auth][c].p99.push_back(p.p99);
      }
    }
  }
  std::printf("GET /workspace/alpha/x through Caddy %s, median of %d rounds (microseconds)\n",
              "2.6.2", rounds);
  std::printf("%-22s %-12s %10s %10s\n", "config", "concurrency", "p50", "p99");
  for (int auth = 0; auth < 2; ++auth) {
    for (int c = 0; c < 2; ++c) {
      std::printf("%-22s %-12d %10.0f %10.0f\n",
                  auth ? "with forward auth" : "without forward auth", concurrency[c],
                  Summarize(series[auth][c].p50).median, Summarize(series[auth][c].p99).median);
    }
  }
  std::printf("control plane asked %d times, workspace served %d requests\n", control->requests(),
              alpha->requests());
  if (Status s = daemon.Stop(); !s.ok()) std::fprintf(stderr, "%s\n", s.message().c_str());
  control.reset();
  alpha.reset();
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace rockpool::bench

int main(int argc, char** argv) {
  int rounds = 5, requests = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--rounds") rounds = std::atoi(argv[i + 1]);
    if (flag == "--requests") requests = std::atoi(argv[i + 1]);
  }
  return rockpool::bench::Run(rounds, requests);
}
