// api_bench: latency and throughput of `rockpool serve`'s API with 10,000 workspaces in a
// SQLite store (the real WorkspaceServiceImpl, fake runtime, no worker), next to Caddy's own
// static_response on the same machine, plus the server's RSS at idle.
//   api_bench [--count N] [--seconds S]
// The server runs as a child process (this binary with --serve) so its RSS is its own; the
// list pages are measured again on a server that keeps no encoded pages (--serve-uncached).
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
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "api/server.h"
#include "runtime/fake/fake_runtime.h"
#include "service/workspace_service_impl.h"
#include "store/sqlite_store.h"
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

// ---- the server side (child process) ----

int Serve(const std::string& db, const std::string& port_file, bool list_cache) {
  SystemClock clock;
  auto store = SqliteStore::Open(db, clock);
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().ToString().c_str()), 1;
  JobQueue queue(**store);
  FakeRuntime runtime;
  WorkspaceServiceImpl service(**store, queue, runtime);
  auto existing = service.List(1, std::nullopt);
  if (existing.ok() && existing->items.empty()) {
    Status seeded = (*store)->Transaction([&] {
      for (int i = 0; i < kWorkspaces; ++i) {
        char name[32];
        std::snprintf(name, sizeof(name), "ws-%05d", i);
        auto ws = (*store)->InsertWorkspace({NewUuidV4(), name, WorkspaceStatus::kRunning,
                                             "rockpool-workspace", std::nullopt, "", ""});
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
  if (!list_cache) options.list_cache_bytes = 0;
  api::ApiServer server(options, service, metrics);
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

std::string Get(tcp::socket& s, const std::string& target, int* status) {
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.keep_alive(true);
  http::write(s, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(s, buf, res);
  *status = res.result_int();
  return std::move(res.body());
}

Outcome Load(int port, const std::string& target, int concurrency, int count,
             std::chrono::seconds limit) {
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
          Get(s, target, &status);
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

pid_t StartCaddy(const std::string& dir, int port) {
  nlohmann::json route = {{"handle",
                           {{{"handler", "static_response"},
                             {"status_code", 200},
                             {"headers", {{"Content-Type", {"application/json"}}}},
                             {"body", R"({"status":"ok"})"}}}}};
  nlohmann::json config = {
      {"admin", {{"disabled", true}}},
      {"logging", {{"logs", {{"default", {{"level", "ERROR"}}}}}}},
      {"apps",
       {{"http",
         {{"servers",
           {{"bench",
             {{"listen", {"127.0.0.1:" + std::to_string(port)}}, {"routes", {route}}}}}}}}}}};
  std::ofstream(dir + "/caddy.json") << config.dump();
  setenv("XDG_DATA_HOME", dir.c_str(), 1);
  setenv("XDG_CONFIG_HOME", dir.c_str(), 1);
  return Spawn({"caddy", "run", "--config", dir + "/caddy.json"});
}

struct Server {
  pid_t pid = -1;
  int port = 0;
};

// Starts `rockpool serve`'s API on `db` in a child process and waits for its port.
Server StartServer(const std::string& dir, const std::string& db, bool list_cache) {
  const std::string port_file = dir + "/port";
  std::filesystem::remove(port_file);
  Server server;
  server.pid =
      Spawn({"/proc/self/exe", list_cache ? "--serve" : "--serve-uncached", db, port_file});
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (!std::filesystem::exists(port_file) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::ifstream(port_file) >> server.port;
  return server;
}

int Main(int argc, char** argv) {
  int count = 20000, seconds = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--serve" && i + 2 < argc) return Serve(argv[i + 1], argv[i + 2], true);
    if (flag == "--serve-uncached" && i + 2 < argc) return Serve(argv[i + 1], argv[i + 2], false);
    if (flag == "--count") count = std::atoi(argv[i + 1]);
    if (flag == "--seconds") seconds = std::atoi(argv[i + 1]);
  }
  const std::string dir =
      std::filesystem::temp_directory_path() / ("rockpool-api-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string db = dir + "/rockpool.db";
  Server server = StartServer(dir, db, true);
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
      "bounded by %d requests or %d s per row\n\n",
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
    for (int c : {1, 32})
      PrintRow(what, c, Load(port, target, c, count, std::chrono::seconds(seconds)));
  }
  const long busy_rss = RssKiB(server.pid);
  StopChild(server.pid);

  // The same pages when nothing can be reused: every request reads SQLite and encodes.
  Server uncached = StartServer(dir, db, false);
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
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace rockpool::bench

int main(int argc, char** argv) { return rockpool::bench::Main(argc, argv); }
