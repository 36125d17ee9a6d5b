#include "e2e_support.h"

#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

namespace rockpool::e2e {
namespace {

namespace fs = std::filesystem;

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// "demo" for "demo.sock" and "demo.3000.sock".
std::string SocketOwner(const std::string& file) { return file.substr(0, file.find('.')); }

}  // namespace

Status CheckPrivateDeployment() {
  const std::string state = Env("ROCKPOOL_STATE_DIR", "");
  // A private Rockpool's state folder sits in the harness's folder, beside its suite.pid.
  std::error_code ec;
  if (state.empty() || !fs::exists(fs::path(state).parent_path() / "suite.pid", ec) ||
      Env("ROCKPOOL_CONTROL_PORT", "").empty() || Env("ROCKPOOL_WORKSPACE_PORT", "").empty() ||
      Env("ROCKPOOL_PROJECT", "").empty() || Env("LXD_CONF", "").empty()) {
    return Status::InvalidArgument(
        "these tests run against a private Rockpool: run them through ./scripts/test.sh, or "
        "bring one up with scripts/harness.sh's start_private and export what it sets");
  }
  return Status::Ok();
}

int ControlPort() { return std::atoi(Env("ROCKPOOL_CONTROL_PORT", "0").c_str()); }
int WorkspacePort() { return std::atoi(Env("ROCKPOOL_WORKSPACE_PORT", "0").c_str()); }
std::string ControlUrl() { return "http://127.0.0.1:" + std::to_string(ControlPort()); }
std::string WorkspaceUrl() { return "http://127.0.0.1:" + std::to_string(WorkspacePort()); }
std::string StateDir() { return Env("ROCKPOOL_STATE_DIR", ""); }
std::string SocketDir() { return StateDir() + "/sockets"; }
std::string ServeLog() { return Env("ROCKPOOL_LOG_DIR", "") + "/serve.log"; }
std::string Project() { return Env("ROCKPOOL_PROJECT", ""); }

client::Credentials CredentialsFromEnv() {
  return {Env("ROCKPOOL_USERNAME", "admin"), Env("ROCKPOOL_PASSWORD", "")};
}

std::string OwnLoopbackAddress() {
  static std::atomic<int> n{0};
  const unsigned pid = static_cast<unsigned>(getpid());
  return "127." + std::to_string(1 + (++n % 250)) + "." + std::to_string((pid >> 8) & 255) + "." +
         std::to_string(1 + pid % 254);
}

std::string UniqueName() {
  static std::atomic<int> n{0};
  return "e2e-" + std::to_string(getpid()) + "-" + std::to_string(++n);
}

HttpResponse Http(const std::string& base_url, const std::string& method, const std::string& target,
                  const std::optional<client::Credentials>& auth, const std::string& body,
                  const Headers& headers, const std::string& from) {
  HttpEndpoint endpoint = HttpEndpoint::Tcp(base_url);
  endpoint.local_address = from;
  CurlHttpClient http(endpoint);
  HttpRequest req{.method = method, .target = target, .headers = headers, .body = body};
  req.timeout = std::chrono::seconds(15);
  const bool typed = std::any_of(headers.begin(), headers.end(), [](const auto& h) {
    return strcasecmp(h.first.c_str(), "Content-Type") == 0;
  });
  if (!body.empty() && !typed) req.headers.emplace_back("Content-Type", "application/json");
  // What Rockpool's own clients send; a test of the cross-site rule overrides it by sending
  // its own Origin and content type and leaving this out.
  if (!typed) req.headers.emplace_back("X-Rockpool-Request", "test");
  if (auth) {
    req.headers.emplace_back("Authorization",
                             "Basic " + Base64(auth->username + ":" + auth->password));
  }
  auto r = http.Send(req);
  if (!r.ok()) return HttpResponse{.status = 0, .body = r.status().message()};
  return *r;
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::seconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

Result<ProcessResult> RunCommand(std::vector<std::string> argv, std::vector<std::string> env) {
  RealProcessRunner runner;
  return runner.Run({.argv = std::move(argv), .env = std::move(env)});
}

bool InstanceExists(const std::string& instance) {
  auto r = RunCommand({"lxc", "info", instance});
  return r.ok() && r->exit_code == 0;
}

Status LxcExec(const std::string& instance, const std::string& shell_command) {
  auto r = RunCommand({"lxc", "exec", instance, "--", "sh", "-c", shell_command});
  if (!r.ok()) return r.status();
  if (r->exit_code != 0) {
    return Status::Internal("lxc exec " + instance + " '" + shell_command + "': exit " +
                            std::to_string(r->exit_code) + ": " + r->output);
  }
  return Status::Ok();
}

std::set<std::string> SocketOwners() {
  std::set<std::string> owners;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(SocketDir(), ec)) {
    std::string file = entry.path().filename().string();
    if (file.ends_with(".sock")) owners.insert(SocketOwner(file));
  }
  return owners;
}

std::vector<std::string> SocketFilesOf(const std::string& name) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(SocketDir(), ec)) {
    std::string file = entry.path().filename().string();
    if (file.ends_with(".sock") && SocketOwner(file) == name) files.push_back(file);
  }
  return files;
}

int LivePid(const std::string& pid_file, const std::string& comm) {
  std::ifstream in(pid_file);
  int pid = 0;
  in >> pid;
  std::ifstream proc("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(proc, name);
  return pid > 0 && name == comm ? pid : 0;
}

std::string ServeLogTail(int lines) {
  std::ifstream in(ServeLog());
  std::deque<std::string> tail;
  for (std::string line; std::getline(in, line);) {
    tail.push_back(line);
    if (static_cast<int>(tail.size()) > lines) tail.pop_front();
  }
  std::string out;
  for (const auto& l : tail) out += l + "\n";
  return out;
}

Result<std::vector<LabelledInstance>> ManagedInstances() {
  RP_ASSIGN_OR_RETURN(ProcessResult r, RunCommand({"lxc", "list", "--format", "json"}));
  if (r.exit_code != 0) return Status::Internal("lxc list: " + r.output);
  auto list = nlohmann::json::parse(r.output, nullptr, false);
  if (!list.is_array()) return Status::Internal("lxc list: not a JSON array: " + r.output);
  std::vector<LabelledInstance> out;
  for (const auto& inst : list) {
    const auto config = inst.value("config", nlohmann::json::object());
    const bool managed = config.value("user.rockpool.managed", "") == "true";
    const bool has_workspace = config.contains("user.rockpool.workspace");
    if (!managed && !has_workspace) continue;
    out.push_back({inst.value("name", ""), config.value("user.rockpool.workspace", ""),
                   config.value("user.rockpool.template", "") == "true",
                   config.value("user.rockpool.spare", "") == "true"});
  }
  return out;
}

void ControlPlaneTest::SetUp() {
  Status hermetic = CheckPrivateDeployment();
  ASSERT_TRUE(hermetic.ok()) << hermetic.message();
  creds_ = CredentialsFromEnv();
  if (creds_.password.empty()) GTEST_SKIP() << "set ROCKPOOL_USERNAME and ROCKPOOL_PASSWORD";
  http_ = std::make_unique<CurlHttpClient>(HttpEndpoint::Tcp(ControlUrl()));
  api_ = std::make_unique<client::ApiClient>(*http_, creds_);
  Status health = api_->Health();
  if (!health.ok()) GTEST_SKIP() << "control plane not up (run rockpool up): " << health.message();
  auto list = api_->List(1, std::nullopt);
  ASSERT_TRUE(list.ok()) << "the environment's credentials are refused: "
                         << list.status().message();
}

void ControlPlaneTest::TearDown() {
  for (const auto& name : tracked_) {
    Status removed = Remove(name, std::chrono::seconds(120));
    if (removed.ok()) continue;
    ADD_FAILURE() << "cleanup of " << name << " through the API: " << removed.message();
    (void)RunCommand({"lxc", "delete", "--force", "rp-" + name});
  }
  tracked_.clear();
}

std::string ControlPlaneTest::Track(std::string name) {
  tracked_.push_back(name);
  return name;
}

Result<Workspace> ControlPlaneTest::WaitForStatus(const std::string& ref, WorkspaceStatus want,
                                                  std::chrono::seconds timeout) {
  Result<Workspace> last = Status::Internal("not polled");
  bool reached = WaitUntil(
      [&] {
        last = api_->Get(ref);
        return last.ok() && (last->status == want || last->status == WorkspaceStatus::kError);
      },
      timeout);
  if (!last.ok()) return last;
  if (!reached) {
    return Status::DeadlineExceeded(
        "workspace " + ref + " is still " + std::string(StatusName(last->status)) + " after " +
        std::to_string(timeout.count()) + " s, wanted " + std::string(StatusName(want)));
  }
  return last;
}

Status ControlPlaneTest::Remove(const std::string& name, std::chrono::seconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::optional<WorkspaceStatus> acted_on;  // ask once per status, not on every poll
  while (Clock::now() < deadline) {
    auto ws = api_->Get(name);
    if (!ws.ok() && ws.status().code() == Code::kNotFound) return Status::Ok();
    if (!ws.ok()) return ws.status();
    if (acted_on != ws->status) {
      acted_on = ws->status;
      switch (ws->status) {
        case WorkspaceStatus::kRunning:
          (void)api_->Stop(name);
          break;
        case WorkspaceStatus::kStopped:
        case WorkspaceStatus::kError:
          (void)api_->Delete(name);
          break;
        default:  // creating, starting or stopping: wait for it
          break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return Status::DeadlineExceeded("workspace " + name + " not gone within " +
                                  std::to_string(timeout.count()) + " s");
}

int ControlPlaneTest::IdeHealth(const std::string& name) {
  return Http(WorkspaceUrl(), "GET", "/workspace/" + name + "/healthz", creds_).status;
}

}  // namespace rockpool::e2e
