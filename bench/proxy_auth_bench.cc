// proxy_auth_bench: what forward auth costs a workspace request. A real Caddy (started through
// CaddyDaemon in a temp dir) serves GET /workspace/alpha/x from a fake workspace on a unix
// socket, with Rockpool's bootstrap config minus the forward-auth route (no decision), and with
// it: every request first asks GET /internal/authorize of
//   - a fake control plane that answers 204 at once (the cost of the subrequest itself), or
//   - the real control plane (ApiServer, SecurityGate, accounts on SQLite), signed in as the
//     member "ann" who owns alpha (a cached password, one account read and one workspace read
//     per request), as ann with a browser session's cookie (one session read, one account read
//     and one workspace read), or as the deployment's admin (no reads).
// And in port mode: GET /x on alpha's IDE origin (a port of its own), with the origin's cookie
// (one grant read, one session read, one account read and one workspace read per request).
// Latency p50/p99 at concurrency 1 and 32, the configs alternating in one run; each figure is
// the median over the rounds.
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

#include "api/security_gate.h"
#include "api/server.h"
#include "auth/password_hash.h"
#include "auth/session_cookie.h"
#include "bench/bench_util.h"
#include "http/curl_client.h"
#include "http/encoding.h"
#include "jobs/job_queue.h"
#include "proxy/caddy/caddy_config.h"
#include "proxy/caddy/caddy_daemon.h"
#include "proxy/caddy/caddy_proxy.h"
#include "runtime/fake/fake_runtime.h"
#include "service/origin_service.h"
#include "service/store_session_service.h"
#include "service/store_user_service.h"
#include "service/workspace_service_impl.h"
#include "store/sqlite_store.h"
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

constexpr char kAdminPassword[] = "bench-admin-password";
constexpr char kMemberPassword[] = "bench-member-password";

// `clients` threads, each with its own keep-alive connection sending `headers`, send `requests`
// GETs each. Returns every request's latency in microseconds; a failed or non-200 answer aborts.
std::vector<double> Measure(int port, int clients, int requests, const Headers& headers,
                            const std::string& target) {
  std::vector<std::vector<double>> per_client(clients);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      CurlHttpClient client(HttpEndpoint::Tcp("http://127.0.0.1:" + std::to_string(port)), headers);
      for (int i = 0; i < requests; ++i) {
        auto start = Clock::now();
        auto r = client.Send({.target = target});
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

  // The real control plane: the member ann owns alpha.
  SystemClock clock;
  auto store = SqliteStore::Open((dir / "rockpool.db").string(), clock);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  JobQueue queue((*store)->jobs());
  FakeRuntime runtime;
  WorkspaceServiceImpl service(**store, queue, runtime);
  auth::FixedCredentialSource credentials(
      BasicAuth{"admin", *HashPassword(kAdminPassword, TestPasswordHashCost())});
  StoreUserService users(**store, credentials);
  CreateWorkspaceRequest alpha_request{"alpha", ""};
  alpha_request.owner = "ann";
  const Status ann = users.Create("ann", kMemberPassword, Role::kMember).status();
  Result<Workspace> alpha_ws = ann.ok() ? service.Create(alpha_request) : Result<Workspace>(ann);
  if (!alpha_ws.ok()) {
    std::fprintf(stderr, "could not make the member and its workspace\n");
    return 1;
  }
  StoreSessionService sessions(**store, clock);
  auto ann_hash = (*store)->users().Find("ann");
  auto session = sessions.Start(
      "ann", auth::PasswordBinding(ann_hash.ok() && *ann_hash ? (*ann_hash)->password_hash : ""));
  if (!session.ok()) {
    std::fprintf(stderr, "could not start a session: %s\n", session.status().message().c_str());
    return 1;
  }
  // Port mode: alpha's IDE on an origin of its own, ann's session carried there by a ticket.
  const int origin_port = testing::FreeLoopbackPorts(1);
  OriginService origins(**store, clock,
                        OriginOptions{.first_port = origin_port, .last_port = origin_port});
  auto assigned = origins.Assign(alpha_ws->id, 0);
  auto ticket = origins.IssueTicket(session->id, origin_port);
  auto origin_cookie = ticket.ok() ? origins.Redeem(*ticket, origin_port) : ticket.status();
  if (!assigned.ok() || !origin_cookie.ok()) {
    std::fprintf(stderr, "could not hand the session to alpha's origin\n");
    return 1;
  }
  api::Metrics metrics;
  api::SecurityGate gate(credentials, {}, auth::SteadyClock::Instance(), nullptr, &users,
                         &sessions);
  api::ApiOptions api_options;
  api_options.unix_socket = (dir / "rockpool.sock").string();
  api_options.threads = 2;
  api_options.users = &users;
  api::ApiServer server(api_options, service, metrics, gate);
  // The same control plane in port mode, where the path URLs are entry points.
  api::ApiOptions port_mode_options = api_options;
  port_mode_options.unix_socket = (dir / "rockpool-origins.sock").string();
  port_mode_options.origins = &origins;
  api::ApiServer port_mode_server(port_mode_options, service, metrics, gate);
  for (api::ApiServer* s : {&server, &port_mode_server}) {
    if (Status listening = s->Listen(); !listening.ok()) {
      std::fprintf(stderr, "%s\n", listening.message().c_str());
      return 1;
    }
  }
  std::thread serving([&server] { server.Run(); });
  std::thread serving_port_mode([&port_mode_server] { port_mode_server.Run(); });

  ProxyConfig config;
  config.socket_dir = (dir / "sockets").string();
  config.control_port = testing::FreeLoopbackPort();
  config.workspace_port = testing::FreeLoopbackPort();
  config.control_plane_upstreams = {"unix/" + (dir / "control.sock").string()};
  nlohmann::json fake_decision = BuildBootstrapConfig(config, admin_address);
  nlohmann::json without_auth = fake_decision;
  auto& routes = without_auth["apps"]["http"]["servers"]["workspaces"]["routes"];
  routes.erase(routes.begin() + 2);  // the forward-auth route (see workspace_routes.cc)
  config.control_plane_upstreams = {"unix/" + api_options.unix_socket};
  nlohmann::json real_decision = BuildBootstrapConfig(config, admin_address);
  config.control_plane_upstreams = {"unix/" + port_mode_options.unix_socket};
  config.origin_first_port = config.origin_last_port = origin_port;
  nlohmann::json port_mode_decision = BuildBootstrapConfig(config, admin_address);

  struct Config {
    const char* name;
    const nlohmann::json* doc;
    Headers headers;
    int port;
    std::string target = "/workspace/alpha/x";
  };
  const int workspaces = config.workspace_port;
  const Config configs[] = {
      {"without forward auth", &without_auth, {}, workspaces},
      {"fake decision (204)", &fake_decision, {}, workspaces},
      {"real decision, member", &real_decision, BasicAuthHeader("ann", kMemberPassword),
       workspaces},
      {"real decision, session",
       &real_decision,
       {{"Cookie", "rockpool_session=" + session->secret}},
       workspaces},
      {"real decision, admin", &real_decision, BasicAuthHeader("admin", kAdminPassword),
       workspaces},
      {"origin, origin cookie",
       &port_mode_decision,
       {{"Cookie", auth::OriginCookieName(origin_port) + "=" + origin_cookie->secret},
        {"Sec-Fetch-Site", "same-origin"},
        {"Sec-Fetch-Mode", "cors"}},
       origin_port,
       "/x"},
  };
  constexpr int kConfigs = sizeof configs / sizeof configs[0];
  struct Series {
    std::vector<double> p50, p99;
  };
  Series series[kConfigs][2];  // [config][concurrency 1, 32]
  const int concurrency[2] = {1, 32};
  for (int round = 0; round < rounds; ++round) {
    for (int k = 0; k < kConfigs; ++k) {
      if (Status s = Load(admin_http, *configs[k].doc); !s.ok()) {
        std::fprintf(stderr, "%s\n", s.message().c_str());
        return 1;
      }
      const Config& k_config = configs[k];
      Measure(k_config.port, 4, 100, k_config.headers, k_config.target);  // warm up after the load
      for (int c = 0; c < 2; ++c) {
        int per_client = concurrency[c] == 1 ? requests * 8 : requests;
        Percentiles p = Of(
            Measure(k_config.port, concurrency[c], per_client, k_config.headers, k_config.target));
        series[k][c].p50.push_back(p.p50);
        series[k][c].p99.push_back(p.p99);
      }
    }
  }
  std::printf(
      "GET /workspace/alpha/x (origin: GET /x) through Caddy %s, median of %d rounds "
      "(microseconds)\n",
      "2.6.2", rounds);
  std::printf("%-24s %-12s %10s %10s\n", "config", "concurrency", "p50", "p99");
  for (int k = 0; k < kConfigs; ++k) {
    for (int c = 0; c < 2; ++c) {
      std::printf("%-24s %-12d %10.0f %10.0f\n", configs[k].name, concurrency[c],
                  Summarize(series[k][c].p50).median, Summarize(series[k][c].p99).median);
    }
  }
  std::printf("fake control plane asked %d times, workspace served %d requests\n",
              control->requests(), alpha->requests());
  server.Stop();
  port_mode_server.Stop();
  serving.join();
  serving_port_mode.join();
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
