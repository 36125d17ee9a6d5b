// api_bench: latency and throughput of `rockpool serve`'s API with 10,000 workspaces in a
// SQLite store (the real WorkspaceServiceImpl, fake runtime, no worker), next to Caddy's own
// static_response on the same machine, plus the server's RSS at idle.
//   api_bench [--count N] [--seconds S] [--runs R] [--gates-only]
//   api_bench --stores [--runs R]   the list on SQLite and on PostgreSQL, with one server
//             process and two sharing the database (a cluster of the bench's own, as the tests
//             start it), with and without the list cache
//   api_bench --tokens [--runs R]   the list signed in with an API token next to basic auth and
//             to no authentication at all, straight to the server and through a Caddy
//             reverse_proxy, with Caddy proxying GET /api/health unauthenticated (the plain hop)
// Servers run as child processes (this binary with --serve <mode>) so RSS is their own:
//   secure    the SecurityGate as `rockpool serve` wires it (credentials from an auth.json,
//             argon2id at its default cost, sign-in throttle, request budget), except that the
//             budget is set so high that the load never spends it: what is measured is the cost of
//             the checks, not of refusals
//   open      the same server behind a gate that lets everything through (authentication,
//             throttling and budget off), for comparison in the same run
//   uncached  secure, keeping no encoded list pages
//   defaults  the SecurityGate with every default, for the burst demonstrations
// The loads alternate between `open` and `secure` run by run; each row is the median of R runs.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "api/security_gate.h"
#include "api/server.h"
#include "auth/file_credential_source.h"
#include "auth/password_hash.h"
#include "http/encoding.h"
#include "runtime/fake/fake_runtime.h"
#include "service/store_token_service.h"
#include "service/store_user_service.h"
#include "service/workspace_service_impl.h"
#include "store/pg_store.h"
#include "store/testing/test_postgres.h"
#include "store/uuid.h"

extern char** environ;

namespace rockpool::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr int kWorkspaces = 10000;
constexpr char kUser[] = "admin";
constexpr char kPassword[] = "bench-password";
// A member who owns every 100th workspace (the rest are the admin's).
constexpr char kMember[] = "ann";
constexpr char kMemberPassword[] = "bench-member-password";

// What every request of the load carries: a browser or the CLI after signing in.
const std::string& AuthorizationHeader() {
  static const std::string value = BasicAuthHeader(kUser, kPassword)[0].second;
  return value;
}

// ---- the server side (child process) ----

// Lets every request through, as the admin: the comparison point for the cost of the
// SecurityGate.
class OpenGate final : public api::RequestGate {
 public:
  void Check(const api::GateRequest&, Done done) override {
    done({std::nullopt, api::Principal{.username = kUser, .admin = true}});
  }
};

// `db`: a SQLite path or a postgres:// URL; auth.json is beside `port_file`.
int Serve(const std::string& db, const std::string& port_file, const std::string& mode) {
  SystemClock clock;
  auto store = OpenStore(db, clock);
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().ToString().c_str()), 1;
  JobQueue queue((*store)->jobs());
  FakeRuntime runtime;
  WorkspaceServiceImpl service(**store, queue, runtime);
  auth::FileCredentialSource credentials(std::filesystem::path(port_file).parent_path() /
                                         "auth.json");
  StoreUserService users(**store, credentials);
  auto existing = service.List(1, std::nullopt, std::nullopt);
  if (existing.ok() && existing->items.empty()) {
    // Before its workspaces: a new account never inherits workspaces of a former one.
    if (auto made = users.Create(kMember, kMemberPassword, Role::kMember); !made.ok()) {
      return std::fprintf(stderr, "%s\n", made.status().ToString().c_str()), 1;
    }
    Status seeded = (*store)->Transaction([&] {
      for (int i = 0; i < kWorkspaces; ++i) {
        char name[32];
        std::snprintf(name, sizeof(name), "ws-%05d", i);
        Workspace row{
            NewUuidV4(), name, WorkspaceStatus::kRunning, "rockpool-workspace", std::nullopt,
            "",          ""};
        row.owner = i % 100 == 0 ? kMember : kUser;
        auto ws = (*store)->workspaces().Insert(row);
        if (!ws.ok()) return ws.status();
      }
      return Status::Ok();
    });
    if (!seeded.ok()) return std::fprintf(stderr, "%s\n", seeded.ToString().c_str()), 1;
  }
  api::Metrics metrics;
  api::ApiOptions options;
  options.port = 0;
  options.handle_signals = true;
  if (mode == "uncached") options.list_cache_bytes = 0;
  api::SecurityOptions security;
  if (mode != "defaults") {
    security.budget.requests_per_second = 1e9;
    security.budget.burst = 1e9;
  }
  StoreTokenService tokens(**store, clock, credentials);
  options.tokens = &tokens;
  options.users = &users;
  OpenGate open;
  api::SecurityGate secure(credentials, security, auth::SteadyClock::Instance(), &tokens, &users);
  api::RequestGate& gate = mode == "open" ? static_cast<api::RequestGate&>(open) : secure;
  api::ApiServer server(options, service, metrics, gate);
  if (Status s = server.Listen(); !s.ok())
    return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
  std::ofstream(port_file + ".tmp") << server.port();
  std::filesystem::rename(port_file + ".tmp", port_file);
  server.Run();
  return 0;
}

// ---- child processes ----

pid_t Spawn(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

void StopChild(pid_t pid) {
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
}

long RssKiB(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

bool WaitForPort(int port, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    net::io_context ioc;
    tcp::socket s(ioc);
    beast::error_code ec;
    s.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
    if (!ec) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

int FreePort() {
  net::io_context ioc;
  tcp::acceptor a(ioc, {net::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// ---- the load generator ----

struct Outcome {
  std::vector<double> latencies_ms;
  int errors = 0;
  double seconds = 0;
};

struct Answer {
  int status = 0;
  std::string retry_after;
  std::string body;
};

Answer Fetch(tcp::socket& s, const std::string& target,
             const std::string& authorization = AuthorizationHeader(),
             const std::string& client = "") {
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!authorization.empty()) req.set(http::field::authorization, authorization);
  if (!client.empty()) req.set("X-Rockpool-Client-Address", client);
  req.keep_alive(true);
  http::write(s, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(s, buf, res);
  return {static_cast<int>(res.result_int()), std::string(res["Retry-After"]),
          std::move(res.body())};
}

std::string Get(tcp::socket& s, const std::string& target, int* status,
                const std::string& authorization = AuthorizationHeader()) {
  Answer a = Fetch(s, target, authorization);
  *status = a.status;
  return std::move(a.body);
}

Outcome Load(int port, const std::string& target, int concurrency, int count,
             std::chrono::seconds limit, const std::string& authorization = AuthorizationHeader()) {
  Outcome out;
  std::mutex mu;
  std::atomic<int> issued{0};
  const auto start = Clock::now();
  const auto deadline = start + limit;
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&] {
      std::vector<double> mine;
      int errors = 0;
      try {
        net::io_context ioc;
        tcp::socket s(ioc);
        s.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
        s.set_option(tcp::no_delay(true));
        while (issued.fetch_add(1) < count && Clock::now() < deadline) {
          const auto t0 = Clock::now();
          int status = 0;
          Get(s, target, &status, authorization);
          mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
          errors += status != 200;
        }
      } catch (const std::exception&) {
        ++errors;
      }
      std::lock_guard lock(mu);
      out.latencies_ms.insert(out.latencies_ms.end(), mine.begin(), mine.end());
      out.errors += errors;
    });
  }
  for (auto& th : threads) th.join();
  out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(out.latencies_ms.begin(), out.latencies_ms.end());
  return out;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

void PrintRow(const std::string& what, int concurrency, const Outcome& o) {
  std::printf("%-52s %5d %9zu %9.3f %9.3f %10.0f %6d\n", what.c_str(), concurrency,
              o.latencies_ms.size(), Percentile(o.latencies_ms, 0.5),
              Percentile(o.latencies_ms, 0.99), o.latencies_ms.size() / o.seconds, o.errors);
}

// Walks the list to find the cursor that starts at `offset`.
std::string CursorAt(int port, int offset) {
  net::io_context ioc;
  tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  std::string cursor;
  for (int seen = 0; seen < offset;) {
    int status = 0;
    const int limit = std::min(100, offset - seen);
    std::string target = "/api/workspaces?limit=" + std::to_string(limit);
    if (!cursor.empty()) target += "&cursor=" + cursor;
    auto page = nlohmann::json::parse(Get(s, target, &status));
    seen += static_cast<int>(page["items"].size());
    cursor = page["nextCursor"].get<std::string>();
  }
  return cursor;
}

std::string IdAt(int port, const std::string& cursor) {
  net::io_context ioc;
  tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  int status = 0;
  auto page = nlohmann::json::parse(Get(s, "/api/workspaces?limit=1&cursor=" + cursor, &status));
  return page["items"][0]["id"];
}

// Caddy with one server per entry of `handlers`: its port and the handler it runs.
pid_t StartCaddyServers(const std::string& dir,
                        const std::vector<std::pair<int, nlohmann::json>>& handlers) {
  nlohmann::json servers = nlohmann::json::object();
  for (const auto& [port, handler] : handlers) {
    servers["bench-" + std::to_string(port)] = {{"listen", {"127.0.0.1:" + std::to_string(port)}},
                                                {"routes", {{{"handle", {handler}}}}}};
  }
  nlohmann::json config = {{"admin", {{"disabled", true}}},
                           {"logging", {{"logs", {{"default", {{"level", "ERROR"}}}}}}},
                           {"apps", {{"http", {{"servers", servers}}}}}};
  std::ofstream(dir + "/caddy.json") << config.dump();
  setenv("XDG_DATA_HOME", dir.c_str(), 1);
  setenv("XDG_CONFIG_HOME", dir.c_str(), 1);
  return Spawn({"caddy", "run", "--config", dir + "/caddy.json"});
}

pid_t StartCaddy(const std::string& dir, int port) {
  return StartCaddyServers(dir, {{port,
                                  {{"handler", "static_response"},
                                   {"status_code", 200},
                                   {"headers", {{"Content-Type", {"application/json"}}}},
                                   {"body", R"({"status":"ok"})"}}}});
}

struct Server {
  pid_t pid = -1;
  int port = 0;
};

// Starts `rockpool serve`'s API on `db` in a child process and waits for its port.
Server StartServer(const std::string& dir, const std::string& db, const std::string& mode,
                   const std::string& instance = "") {
  const std::string port_file = dir + "/port-" + mode + instance;
  std::filesystem::remove(port_file);
  Server server;
  server.pid = Spawn({"/proc/self/exe", "--serve", db, port_file, mode});
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (!std::filesystem::exists(port_file) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::ifstream(port_file) >> server.port;
  return server;
}

tcp::socket Connect(net::io_context& ioc, int port) {
  tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  s.set_option(tcp::no_delay(true));
  return s;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// CPU time (user + system) the process has used so far, in microseconds.
double CpuMicros(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));  // after "pid (comm) "
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field && i <= 15; ++i) {
    if (i == 14 || i == 15) ticks += std::atof(field.c_str());  // utime, stime
  }
  return ticks * 1e6 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The same loads on the open and the secure server, alternating which goes first, `runs`
// times; prints the median p50, p99, req/s and server CPU per request of each.
void CompareGates(const Server& open, const Server& secure, const std::string& what,
                  const std::string& target, int runs, int count, int seconds) {
  for (int c : {1, 32}) {
    std::vector<double> p50[2], p99[2], rps[2], cpu[2];
    int errors[2] = {0, 0};
    for (int r = 0; r < runs; ++r) {
      for (int k = 0; k < 2; ++k) {
        const int which = (r + k) % 2;  // 0 open, 1 secure
        const Server& server = which == 0 ? open : secure;
        const double cpu_before = CpuMicros(server.pid);
        Outcome o = Load(server.port, target, c, count, std::chrono::seconds(seconds));
        cpu[which].push_back((CpuMicros(server.pid) - cpu_before) /
                             std::max<size_t>(1, o.latencies_ms.size()));
        p50[which].push_back(Percentile(o.latencies_ms, 0.5));
        p99[which].push_back(Percentile(o.latencies_ms, 0.99));
        rps[which].push_back(o.latencies_ms.size() / o.seconds);
        errors[which] += o.errors;
      }
    }
    for (int which : {0, 1}) {
      std::printf("%-44s %-4s %5d %9.3f %9.3f %10.0f %9.1f %6d\n", what.c_str(),
                  which == 0 ? "off" : "on", c, Median(p50[which]), Median(p99[which]),
                  Median(rps[which]), Median(cpu[which]), errors[which]);
    }
  }
}

// 300 wrong passwords from one client address, sent at once over 30 connections.
void WrongPasswordBurst(int port) {
  const std::string attacker = "203.0.113.9";
  const std::string wrong = BasicAuthHeader(kUser, "guess")[0].second;
  std::mutex mu;
  std::vector<Answer> answers;
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 30; ++t) {
    threads.emplace_back([&] {
      net::io_context ioc;
      tcp::socket s = Connect(ioc, port);
      for (int i = 0; i < 10; ++i) {
        Answer a = Fetch(s, "/api/workspaces?limit=1", wrong, attacker);
        std::lock_guard lock(mu);
        answers.push_back(std::move(a));
      }
    });
  }
  for (auto& th : threads) th.join();
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  int unauthorized = 0, throttled = 0, other = 0;
  size_t last_401 = 0;
  std::string retry_after;
  for (size_t i = 0; i < answers.size(); ++i) {
    if (answers[i].status == 401) {
      ++unauthorized;
      last_401 = i + 1;
    } else if (answers[i].status == 429) {
      ++throttled;
      if (retry_after.empty()) retry_after = answers[i].retry_after;
    } else {
      ++other;
    }
  }
  std::printf(
      "300 wrong passwords from %s over 30 connections in %.0f ms: %d answered 401 (the last "
      "of them as answer #%zu), %d answered 429 (Retry-After: %s), %d other\n",
      attacker.c_str(), ms, unauthorized, last_401, throttled, retry_after.c_str(), other);
  net::io_context ioc;
  tcp::socket s = Connect(ioc, port);
  Answer same = Fetch(s, "/api/workspaces?limit=1", AuthorizationHeader(), attacker);
  Answer other_address = Fetch(s, "/api/workspaces?limit=1", AuthorizationHeader(), "198.51.100.4");
  std::printf("then the right password: from %s %d (Retry-After: %s), from 198.51.100.4 %d\n",
              attacker.c_str(), same.status, same.retry_after.c_str(), other_address.status);
}

// 1,000 requests from one address as fast as 8 connections go, at the default budget.
void BudgetBurst(int port) {
  std::atomic<int> ok{0}, limited{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      net::io_context ioc;
      tcp::socket s = Connect(ioc, port);
      for (int i = 0; i < 125; ++i) {
        const int status = Fetch(s, "/api/health", "", "192.0.2.10").status;
        (status == 200 ? ok : status == 429 ? limited : other)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  const api::SecurityOptions defaults;
  std::printf(
      "1,000 requests from one address at the default budget (%.0f/s, burst %.0f): %d answered "
      "200, %d answered 429, %d other\n",
      defaults.budget.requests_per_second, defaults.budget.burst, ok.load(), limited.load(),
      other.load());
}

// One load spread over several servers (each gets its share of the connections and requests),
// as a proxy spreads it over several control-plane processes; with fewer connections than
// servers, only as many servers as connections get any.
Outcome LoadSpread(const std::vector<Server>& servers, const std::string& target, int concurrency,
                   int count, int seconds) {
  const int n = std::min(static_cast<int>(servers.size()), concurrency);
  std::vector<Outcome> parts(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      parts[i] =
          Load(servers[i].port, target, concurrency / n, count / n, std::chrono::seconds(seconds));
    });
  }
  for (auto& t : threads) t.join();
  Outcome all;
  for (const Outcome& o : parts) {
    all.latencies_ms.insert(all.latencies_ms.end(), o.latencies_ms.begin(), o.latencies_ms.end());
    all.errors += o.errors;
    all.seconds = std::max(all.seconds, o.seconds);
  }
  std::sort(all.latencies_ms.begin(), all.latencies_ms.end());
  return all;
}

// The list on SQLite and on PostgreSQL, one server process and two, each row the median of
// `runs` runs, the setups taking turns run by run.
// A fresh folder for one benchmark, holding the account's auth.json.
std::string BenchDir(const std::string& name) {
  const std::string dir = std::filesystem::temp_directory_path() /
                          ("rockpool-" + name + "-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/auth.json")
      << nlohmann::json{{"username", kUser}, {"passwordHash", *HashPassword(kPassword)}}.dump();
  return dir;
}

int CompareStores(int runs, int count, int seconds) {
  const std::string dir = BenchDir("store-bench");
  auto url = testing::NewTestDatabase();
  if (!url.ok()) return std::fprintf(stderr, "api_bench: %s\n", url.status().ToString().c_str()), 1;
  struct Setup {
    std::string label;
    std::vector<Server> servers;
  };
  std::vector<Setup> setups;
  for (const std::string mode : {"secure", "uncached"}) {
    const std::string cache = mode == "secure" ? "" : ", uncached";
    setups.push_back({"SQLite, 1 process" + cache, {StartServer(dir, dir + "/rockpool.db", mode)}});
    setups.push_back({"PostgreSQL, 1 process" + cache, {StartServer(dir, *url, mode, "-a")}});
    setups.push_back({"PostgreSQL, 2 processes" + cache,
                      {setups.back().servers[0], StartServer(dir, *url, mode, "-b")}});
  }
  for (const auto& setup : setups) {
    for (const Server& server : setup.servers) {
      if (server.port == 0) return std::fprintf(stderr, "api_bench: a server did not start\n"), 1;
    }
  }
  const std::string middle = CursorAt(setups[0].servers[0].port, kWorkspaces / 2);
  const std::vector<std::pair<std::string, std::string>> pages = {
      {"first page", "/api/workspaces?limit=50"},
      {"middle page", "/api/workspaces?limit=50&cursor=" + middle},
  };
  std::printf(
      "GET /api/workspaces?limit=50 with %d workspaces, signed in; median of %d runs of %d "
      "requests (or %d s), setups in turn; %u cores\n",
      kWorkspaces, runs, count, seconds, std::thread::hardware_concurrency());
  std::printf("%-44s %-12s %5s %9s %9s %10s %6s\n", "store", "page", "conc", "p50 ms", "p99 ms",
              "req/s", "errors");
  for (const auto& [page, target] : pages) {
    for (int c : {1, 32}) {
      std::vector<std::vector<double>> p50(setups.size()), p99(setups.size()), rps(setups.size());
      std::vector<int> errors(setups.size(), 0);
      for (int r = 0; r < runs; ++r) {
        for (size_t k = 0; k < setups.size(); ++k) {
          const size_t which = (k + r) % setups.size();
          Outcome o = LoadSpread(setups[which].servers, target, c, count, seconds);
          p50[which].push_back(Percentile(o.latencies_ms, 0.5));
          p99[which].push_back(Percentile(o.latencies_ms, 0.99));
          rps[which].push_back(o.latencies_ms.size() / o.seconds);
          errors[which] += o.errors;
        }
      }
      for (size_t k = 0; k < setups.size(); ++k) {
        std::printf("%-44s %-12s %5d %9.3f %9.3f %10.0f %6d\n", setups[k].label.c_str(),
                    page.c_str(), c, Median(p50[k]), Median(p99[k]), Median(rps[k]), errors[k]);
      }
    }
  }
  std::set<pid_t> stopped;
  for (const auto& setup : setups) {
    for (const Server& server : setup.servers) {
      if (stopped.insert(server.pid).second) StopChild(server.pid);
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}

// Makes an API token with the password, as `rockpool login` does; empty on failure.
std::string MakeToken(int port) {
  net::io_context ioc;
  tcp::socket s = Connect(ioc, port);
  http::request<http::string_body> req{http::verb::post, "/api/tokens", 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::authorization, AuthorizationHeader());
  req.set(http::field::content_type, "application/json");
  req.body() = R"({"name":"api_bench"})";
  req.prepare_payload();
  http::write(s, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(s, buf, res);
  auto j = nlohmann::json::parse(res.body(), nullptr, false);
  if (res.result_int() != 201 || !j.is_object()) {
    std::fprintf(stderr, "api_bench: POST /api/tokens: %u %s\n", res.result_int(),
                 res.body().c_str());
    return "";
  }
  return j["token"].get<std::string>();
}

// The list signed in with a token, next to basic auth and to no authentication, straight to the
// server and through Caddy; rows measured in turn, the order rotating run by run; medians of
// `runs`.
int CompareTokens(int runs, int count, int seconds) {
  const std::string dir = BenchDir("token-bench");
  const std::string db = dir + "/rockpool.db";
  Server secure = StartServer(dir, db, "secure");
  Server open = StartServer(dir, db, "open");
  const int via_secure = FreePort(), via_open = FreePort();
  auto proxy_to = [](int port) {
    return nlohmann::json{{"handler", "reverse_proxy"},
                          {"upstreams", {{{"dial", "127.0.0.1:" + std::to_string(port)}}}}};
  };
  pid_t caddy = StartCaddyServers(
      dir, {{via_secure, proxy_to(secure.port)}, {via_open, proxy_to(open.port)}});
  const bool caddy_up = caddy > 0 && WaitForPort(via_secure, std::chrono::seconds(10)) &&
                        WaitForPort(via_open, std::chrono::seconds(10));
  const std::string token = secure.port == 0 ? "" : MakeToken(secure.port);
  if (secure.port == 0 || open.port == 0 || !caddy_up || token.empty()) {
    std::fprintf(stderr, "api_bench: a server, Caddy or the token could not be set up\n");
    for (pid_t pid : {secure.pid, open.pid, caddy}) {
      if (pid > 0) StopChild(pid);
    }
    return 1;
  }
  const std::string bearer = "Bearer " + token;
  const std::string member = BasicAuthHeader(kMember, kMemberPassword)[0].second;
  const std::string list = "/api/workspaces?limit=50";
  struct Row {
    std::string label;
    int port;
    std::string target, authorization;
  };
  const std::vector<Row> rows = {
      {"direct, no authentication", open.port, list, ""},
      {"direct, basic auth (verified once, then cached)", secure.port, list, AuthorizationHeader()},
      {"direct, API token", secure.port, list, bearer},
      {"caddy, GET /api/health, no authentication", via_open, "/api/health", ""},
      {"caddy, no authentication", via_open, list, ""},
      {"caddy, basic auth", via_secure, list, AuthorizationHeader()},
      {"caddy, API token", via_secure, list, bearer},
      {"direct, member's own (100 of them), basic auth", secure.port, list, member},
      {"caddy, member's own (100 of them), basic auth", via_secure, list, member},
  };
  std::printf(
      "api_bench --tokens: GET %s with %d workspaces (SQLite), %u cores, median of %d runs of %d "
      "requests (or %d s) per row, rows in rotating order\n\n",
      list.c_str(), kWorkspaces, std::thread::hardware_concurrency(), runs, count, seconds);
  std::printf("%-50s %5s %9s %9s %10s %6s\n", "path, authentication", "conc", "p50 ms", "p99 ms",
              "req/s", "errors");
  for (int c : {1, 32}) {
    std::vector<std::vector<double>> p50(rows.size()), p99(rows.size()), rps(rows.size());
    std::vector<int> errors(rows.size(), 0);
    for (int r = 0; r < runs; ++r) {
      for (size_t k = 0; k < rows.size(); ++k) {
        const size_t i = (k + static_cast<size_t>(r)) % rows.size();
        Outcome o = Load(rows[i].port, rows[i].target, c, count, std::chrono::seconds(seconds),
                         rows[i].authorization);
        p50[i].push_back(Percentile(o.latencies_ms, 0.5));
        p99[i].push_back(Percentile(o.latencies_ms, 0.99));
        rps[i].push_back(o.latencies_ms.size() / o.seconds);
        errors[i] += o.errors;
      }
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      std::printf("%-50s %5d %9.3f %9.3f %10.0f %6d\n", rows[i].label.c_str(), c, Median(p50[i]),
                  Median(p99[i]), Median(rps[i]), errors[i]);
    }
  }
  for (pid_t pid : {secure.pid, open.pid, caddy}) StopChild(pid);
  std::filesystem::remove_all(dir);
  return 0;
}

int Main(int argc, char** argv) {
  int count = 20000, seconds = 5, runs = 5, compare_count = 5000;
  bool gates_only = false, stores = false, tokens = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--serve" && i + 3 < argc) return Serve(argv[i + 1], argv[i + 2], argv[i + 3]);
    if (flag == "--gates-only") gates_only = true;
    if (flag == "--stores") stores = true;
    if (flag == "--tokens") tokens = true;
    if (i + 1 >= argc) continue;
    if (flag == "--count") count = std::atoi(argv[++i]);
    if (flag == "--seconds") seconds = std::atoi(argv[++i]);
    if (flag == "--runs") runs = std::atoi(argv[++i]);
  }
  if (stores) return CompareStores(runs, count, seconds);
  if (tokens) return CompareTokens(runs, compare_count, seconds);
  const std::string dir = BenchDir("api-bench");
  const std::string db = dir + "/rockpool.db";
  Server server = StartServer(dir, db, "secure");
  if (server.port == 0) {
    std::fprintf(stderr, "api_bench: the server did not start\n");
    StopChild(server.pid);
    return 1;
  }
  const int port = server.port;
  const std::string middle = CursorAt(port, kWorkspaces / 2);
  const std::string last = CursorAt(port, kWorkspaces - 50);
  const std::string id = IdAt(port, middle);
  std::this_thread::sleep_for(std::chrono::seconds(1));  // settle before reading idle RSS
  const long idle_rss = RssKiB(server.pid);

  std::printf(
      "api_bench: %d workspaces, WorkspaceServiceImpl on SQLite (WAL), %u cores, "
      "bounded by %d requests or %d s per row; every request signed in (basic auth)\n\n",
      kWorkspaces, std::thread::hardware_concurrency(), count, seconds);
  std::printf("%-52s %5s %9s %9s %9s %10s %6s\n", "request", "conc", "requests", "p50 ms", "p99 ms",
              "req/s", "errors");
  const std::vector<std::pair<std::string, std::string>> pages = {
      {"GET /api/workspaces?limit=50 (first page)", "/api/workspaces?limit=50"},
      {"GET /api/workspaces?limit=50 (middle page)", "/api/workspaces?limit=50&cursor=" + middle},
      {"GET /api/workspaces?limit=50 (last page)", "/api/workspaces?limit=50&cursor=" + last},
  };
  auto targets = pages;
  targets.push_back({"GET /api/workspaces/{id}", "/api/workspaces/" + id});
  targets.push_back({"GET /api/health", "/api/health"});
  for (const auto& [what, target] : targets) {
    if (gates_only) break;
    for (int c : {1, 32})
      PrintRow(what, c, Load(port, target, c, count, std::chrono::seconds(seconds)));
  }
  const long busy_rss = RssKiB(server.pid);

  // Authentication + throttling + budget off vs on, on two servers over the same store.
  Server open = StartServer(dir, db, "open");
  std::printf(
      "\nauthentication + sign-in throttle + request budget: off vs on, median of %d runs of %d "
      "requests (or %d s), alternating\n",
      runs, compare_count, seconds);
  std::printf("%-44s %-4s %5s %9s %9s %10s %9s %6s\n", "request", "gate", "conc", "p50 ms",
              "p99 ms", "req/s", "server us", "errors");
  CompareGates(open, server, "GET /api/workspaces?limit=50 (first page)",
               "/api/workspaces?limit=50", runs, compare_count, seconds);
  CompareGates(open, server, "GET /api/workspaces/{id}", "/api/workspaces/" + id, runs,
               compare_count, seconds);
  StopChild(open.pid);
  StopChild(server.pid);
  if (gates_only) {
    std::filesystem::remove_all(dir);
    return 0;
  }

  // The same pages when nothing can be reused: every request reads SQLite and encodes.
  std::printf("\n");
  Server uncached = StartServer(dir, db, "uncached");
  for (const auto& [what, target] : pages) {
    for (int c : {1, 32}) {
      PrintRow(what + ", uncached", c,
               Load(uncached.port, target, c, count, std::chrono::seconds(seconds)));
    }
  }
  StopChild(uncached.pid);

  const int caddy_port = FreePort();
  pid_t caddy = StartCaddy(dir, caddy_port);
  if (caddy > 0 && WaitForPort(caddy_port, std::chrono::seconds(10))) {
    for (int c : {1, 32}) {
      PrintRow("caddy static_response (same JSON)", c,
               Load(caddy_port, "/", c, count, std::chrono::seconds(seconds)));
    }
    std::printf("\ncaddy RSS after load: %ld KiB\n", RssKiB(caddy));
  } else {
    std::printf("caddy: could not start /usr/bin/caddy on port %d\n", caddy_port);
  }
  if (caddy > 0) StopChild(caddy);
  std::printf("rockpool server RSS: %ld KiB at idle (10,000 workspaces), %ld KiB after load\n",
              idle_rss, busy_rss);

  // The protections at their defaults (argon2id 64 MiB x 2, 5 failures, 50 requests/s, burst 500).
  std::printf("\n");
  Server defaults = StartServer(dir, db, "defaults");
  WrongPasswordBurst(defaults.port);
  BudgetBurst(defaults.port);
  StopChild(defaults.pid);
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace rockpool::bench

int main(int argc, char** argv) { return rockpool::bench::Main(argc, argv); }
