// Several control-plane processes on one PostgreSQL store: a second private Rockpool keeps its
// store in PostgreSQL (a database of its own on the suite's cluster).
//
// A `rockpool worker` process beside its `rockpool serve`. The serve process is killed (SIGKILL) in
// the middle of ten creates. The worker process goes on with the queue (it sees the dead process's
// leases and takes its jobs over), the lease that says who reconciles passes on, and the serve
// process the supervisor starts again joins in. Every workspace converges (running, or error with
// a reason) without `rockpool up`, each has exactly one instance, and each create ran to one end.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "peer.h"
#include "store/pg_store.h"
#include "store/testing/test_postgres.h"
#include "sys/process_lock.h"

namespace rockpool::e2e {
namespace {

using std::chrono::seconds;
constexpr int kCount = 10;

std::string FileText(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Workspace name -> its instances, from the engine's labels in the peer's project.
std::map<std::string, int> InstancesByWorkspace(Peer& peer) {
  std::map<std::string, int> out;
  auto r = peer.Lxc({"list", "--format", "json"});
  if (!r.ok() || r->exit_code != 0) return out;
  auto list = nlohmann::json::parse(r->output, nullptr, false);
  if (!list.is_array()) return out;
  for (const auto& inst : list) {
    const auto& config = inst.value("config", nlohmann::json::object());
    auto it = config.find("user.rockpool.workspace");
    if (it != config.end() && it->is_string()) ++out[it->get<std::string>()];
  }
  return out;
}

TEST(ScaleOutTest, KilledServeBesideAWorkerOnPostgresEveryCreateConverges) {
  auto url = testing::NewTestDatabase();
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  Peer b;
  Status started = b.Start({"ROCKPOOL_DATABASE_URL=" + *url});
  ASSERT_TRUE(started.ok()) << started.message();
  ASSERT_EQ(b.Workspaces()["test"], "running");

  RealProcessRunner runner;
  const std::string worker_log = b.log_dir() + "/worker.log";
  auto worker = runner.SpawnDaemon({.argv = {kRockpool, "worker"}, .env = b.Env()}, worker_log);
  ASSERT_TRUE(worker.ok()) << worker.status().ToString();
  ASSERT_TRUE(WaitUntil(
      [&] { return FileText(worker_log).find("taking jobs") != std::string::npos; }, seconds(60)))
      << FileText(worker_log);

  std::vector<std::string> names;
  for (int i = 0; i < kCount; ++i) {
    names.push_back("scale-" + std::to_string(getpid() % 10000) + "-" + std::to_string(i));
    auto made = b.Rockpool({"ws", "create", names.back(), "--no-wait"});
    ASSERT_TRUE(made.ok() && made->exit_code == 0) << (made.ok() ? made->output : "");
  }
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto ws = b.Workspaces();
        for (const auto& n : names) {
          if (ws[n] == "running") return true;
        }
        return false;
      },
      seconds(180)))
      << "no workspace reached running";

  // Read from the store itself: whether or not a serve answers.
  SystemClock clock;
  auto store = PgStore::Open(*url, clock);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const int serve = LockHolder(b.state_dir() + "/serve.lock");
  ASSERT_GT(serve, 0);
  auto leader = (*store)->leases().Get("control-plane");
  ASSERT_TRUE(leader.ok() && leader->has_value());
  const std::string killed_holder = (*leader)->holder;
  ASSERT_EQ(killed_holder.substr(killed_holder.rfind(':') + 1), std::to_string(serve))
      << "serve, up first, leads";
  ASSERT_EQ(kill(serve, SIGKILL), 0);
  const auto killed_at = Clock::now();
  std::vector<Workspace> last;
  const bool converged = WaitUntil(
      [&] {
        last.clear();
        for (const auto& n : names) {
          auto ws = (*store)->workspaces().GetByName(n);
          if (!ws.ok()) return false;
          last.push_back(*ws);
          if (ws->status != WorkspaceStatus::kRunning && ws->status != WorkspaceStatus::kError) {
            return false;
          }
        }
        return true;
      },
      seconds(360));
  std::string states;
  for (const auto& ws : last) states += ws.name + "=" + std::string(StatusName(ws.status)) + " ";
  ASSERT_TRUE(converged) << "not converged within 360 s: " << states << "\nworker log:\n"
                         << FileText(worker_log);
  std::printf("[ measure ] killed serve pid %d; all %d settled %.1f s later\n", serve, kCount,
              std::chrono::duration<double>(Clock::now() - killed_at).count());

  const auto instances = InstancesByWorkspace(b);
  for (const auto& ws : last) {
    if (ws.status == WorkspaceStatus::kError) {
      EXPECT_FALSE(ws.status_reason.value_or("").empty()) << ws.name << " in error without reason";
      EXPECT_LE(instances.count(ws.name) ? instances.at(ws.name) : 0, 1) << ws.name;
    } else {
      EXPECT_EQ(instances.count(ws.name) ? instances.at(ws.name) : 0, 1) << ws.name;
    }
    auto jobs = (*store)->jobs().ListForWorkspace(ws.id);
    ASSERT_TRUE(jobs.ok());
    int creates = 0;
    for (const Job& job : *jobs) {
      if (job.kind != JobKind::kCreate) continue;
      ++creates;
      EXPECT_TRUE(job.state == JobState::kDone || job.state == JobState::kFailed)
          << ws.name << " create job " << job.id << " is " << JobStateName(job.state);
    }
    EXPECT_EQ(creates, 1) << ws.name;
  }
  // The lease passed on from the killed process: a live one leads (the worker, or the serve the
  // supervisor started again, whichever took it first once it ran out).
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto lease = (*store)->leases().Get("control-plane");
        return lease.ok() && lease->has_value() && (*lease)->holder != killed_holder &&
               (*lease)->until > clock.Now();
      },
      seconds(30)));
  const std::string holder = (*(*store)->leases().Get("control-plane"))->holder;
  EXPECT_EQ(kill(std::stoi(holder.substr(holder.rfind(':') + 1)), 0), 0) << holder;
  std::printf("[ measure ] the lease passed from %s to %s\n", killed_holder.c_str(),
              holder.c_str());

  // The supervisor started serve again: the API answers and shows the same.
  ASSERT_TRUE(WaitUntil([&] { return b.Workspaces().size() == names.size() + 1; }, seconds(60)));
  kill(*worker, SIGTERM);
}

// Two serve processes of one host behind its Caddy (ROCKPOOL_SERVE_PROCESSES=2). Each in turn
// is killed while the supervisor is paused, so that it stays gone: every request through Caddy
// is then answered by the other, a workspace created through it comes up, and once the
// supervisor goes on it starts the killed process again.
TEST(ScaleOutTest, TwoServeProcessesBehindOneCaddyEachAnswersEverythingAlone) {
  auto url = testing::NewTestDatabase();
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  Peer b;
  Status started = b.Start({"ROCKPOOL_DATABASE_URL=" + *url, "ROCKPOOL_SERVE_PROCESSES=2"});
  ASSERT_TRUE(started.ok()) << started.message();
  const std::string base = "http://127.0.0.1:" + b.setting("ROCKPOOL_CONTROL_PORT");
  const client::Credentials admin{b.setting("ROCKPOOL_USERNAME"), b.setting("ROCKPOOL_PASSWORD")};
  const std::string locks[2] = {b.state_dir() + "/serve.lock", b.state_dir() + "/serve-2.lock"};
  int serves[2] = {LockHolder(locks[0]), LockHolder(locks[1])};
  ASSERT_GT(serves[0], 0);
  ASSERT_GT(serves[1], 0);
  ASSERT_NE(serves[0], serves[1]);
  const int supervisor = LockHolder(b.state_dir() + "/supervise.lock");
  ASSERT_GT(supervisor, 0);
  // However the test ends, the supervisor goes on (before the peer is taken down).
  struct Resume {
    int pid;
    ~Resume() { kill(pid, SIGCONT); }
  } resume{supervisor};

  for (int gone : {0, 1}) {
    SCOPED_TRACE("serve process " + std::to_string(gone + 1) + " killed");
    ASSERT_EQ(kill(supervisor, SIGSTOP), 0);
    ASSERT_EQ(kill(serves[gone], SIGKILL), 0);
    ASSERT_TRUE(WaitUntil([&] { return LockHolder(locks[gone]) == 0; }, seconds(10)));
    ASSERT_EQ(LockHolder(locks[1 - gone]), serves[1 - gone]);
    for (int i = 0; i < 20; ++i) {
      HttpResponse r = Http(base, "GET", "/api/workspaces", admin);
      EXPECT_EQ(r.status, 200) << i << ": " << r.body;
    }
    const std::string name = "two-" + std::to_string(getpid() % 10000) + "-" + std::to_string(gone);
    HttpResponse made = Http(base, "POST", "/api/workspaces", admin, R"({"name":")" + name + "\"}");
    EXPECT_TRUE(made.status >= 200 && made.status < 300) << made.status << ": " << made.body;
    std::string status;
    EXPECT_TRUE(WaitUntil(
        [&] {
          HttpResponse r = Http(base, "GET", "/api/workspaces/" + name, admin);
          auto ws = nlohmann::json::parse(r.body, nullptr, false);
          status = ws.is_object() ? ws.value("status", "") : r.body;
          return status == "running" || status == "error";
        },
        seconds(180)));
    EXPECT_EQ(status, "running") << name;
    EXPECT_EQ(LockHolder(locks[gone]), 0) << "the paused supervisor started nothing";

    ASSERT_EQ(kill(supervisor, SIGCONT), 0);
    ASSERT_TRUE(WaitUntil([&] { return LockHolder(locks[gone]) > 0; }, seconds(60)))
        << "the supervisor did not start serve process " << gone + 1 << " again";
    serves[gone] = LockHolder(locks[gone]);
  }
  // Both answer again: `rockpool` on this host talks to the first one's local socket.
  EXPECT_EQ(b.Workspaces().size(), 3u);
}

}  // namespace
}  // namespace rockpool::e2e
