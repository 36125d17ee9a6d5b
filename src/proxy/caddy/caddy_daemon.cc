#include "proxy/caddy/caddy_daemon.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "sys/process_lock.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::Internal("caddy daemon: write " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

std::string Tail(const std::string& path, size_t max_bytes = 2000) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  return text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
}

// True while `pid` runs. Reaps it when it is our child, so an exited child does not linger
// as a zombie that kill(pid, 0) still reports.
bool Alive(int pid) {
  int wstatus = 0;
  pid_t r = waitpid(pid, &wstatus, WNOHANG);
  if (r == pid) return false;
  return kill(pid, 0) == 0 || errno == EPERM;
}

// Guards against a recycled pid: the process must be a caddy. Skipped where /proc is absent.
bool IsCaddy(int pid) {
  fs::path comm = "/proc/" + std::to_string(pid) + "/comm";
  if (!fs::exists("/proc/self")) return true;
  std::ifstream in(comm);
  std::string name;
  std::getline(in, name);
  return name == "caddy";
}

constexpr std::string_view kUnixPrefix = "unix/";

// Makes `dir` (and missing parents) exist as a folder of ours with mode 0700. Refuses a
// folder owned by someone else rather than use it.
Status SecureFolder(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Internal("caddy daemon: create " + dir + ": " + ec.message());
  struct stat st {};
  if (lstat(dir.c_str(), &st) != 0) {
    return Status::Internal("caddy daemon: stat " + dir + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) return Status::Internal("caddy daemon: " + dir + " is not a folder");
  if (st.st_uid != geteuid()) {
    return Status::Internal("caddy daemon: " + dir + " belongs to uid " +
                            std::to_string(st.st_uid) + ", not to us (uid " +
                            std::to_string(geteuid()) +
                            "); refusing to keep Caddy's admin "
                            "socket there");
  }
  if ((st.st_mode & 07777) != 0700 && chmod(dir.c_str(), 0700) != 0) {
    return Status::Internal("caddy daemon: chmod 0700 " + dir + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

std::string CaddyAdminSocketAddress(const std::string& state_dir) {
  return std::string(kUnixPrefix) + state_dir + "/admin.sock";
}

CaddyDaemon::CaddyDaemon(ProcessRunner& runner, Proxy& admin, CaddyDaemonOptions options)
    : runner_(runner), admin_(admin), options_(std::move(options)) {
  if (options_.admin_address.empty()) {
    options_.admin_address = CaddyAdminSocketAddress(options_.state_dir);
  }
}

std::string CaddyDaemon::AdminSocket() const {
  return options_.admin_address.substr(kUnixPrefix.size());
}

Status CaddyDaemon::SecureFolders() {
  const std::string& admin = options_.admin_address;
  if (admin.rfind(kUnixPrefix, 0) != 0 || admin.size() <= kUnixPrefix.size() ||
      admin[kUnixPrefix.size()] != '/') {
    return Status::InvalidArgument("caddy daemon: admin address \"" + admin +
                                   "\" is not unix/<absolute path>: on TCP any local user could "
                                   "replace Caddy's config");
  }
  RP_RETURN_IF_ERROR(SecureFolder(options_.state_dir));
  return SecureFolder(fs::path(AdminSocket()).parent_path().string());
}

Status CaddyDaemon::EnsureRunning() {
  RP_RETURN_IF_ERROR(SecureFolders());
  if (admin_.Ping().ok()) return Status::Ok();
  return Start();
}

Status CaddyDaemon::Prepare() {
  RP_RETURN_IF_ERROR(SecureFolders());
  std::error_code ec;
  for (const char* sub : {"/data", "/config"}) {
    fs::create_directories(options_.state_dir + sub, ec);
    if (ec) {
      return Status::Internal("caddy daemon: create " + options_.state_dir + sub + ": " +
                              ec.message());
    }
  }
  nlohmann::json initial = {{"admin", {{"listen", options_.admin_address}}}};
  return WriteFile(InitialConfigFile(), initial.dump());
}

ProcessSpec CaddyDaemon::RunSpec() const {
  ProcessSpec spec;
  spec.argv = {options_.binary, "run", "--config", InitialConfigFile()};
  spec.env = {"XDG_DATA_HOME=" + options_.state_dir + "/data",
              "XDG_CONFIG_HOME=" + options_.state_dir + "/config"};
  spec.cwd = options_.state_dir;
  return spec;
}

Status CaddyDaemon::Start() {
  // A Caddy we started that does not answer at the admin address (hung, or started with
  // another one, e.g. 127.0.0.1:2019 before the admin socket) still holds the HTTP ports.
  RP_RETURN_IF_ERROR(Stop());
  RP_RETURN_IF_ERROR(Prepare());
  RP_ASSIGN_OR_RETURN(int pid, runner_.SpawnDaemon(RunSpec(), LogFile()));
  RP_RETURN_IF_ERROR(WriteFile(PidFile(), std::to_string(pid) + "\n"));
  return WaitForAdmin(pid);
}

Status CaddyDaemon::WaitForAdmin(int pid) {
  auto deadline = Clock::now() + options_.start_timeout;
  Status last;
  while (Clock::now() < deadline) {
    last = admin_.Ping();
    if (last.ok()) {
      // Defence in depth behind the 0700 folder; Caddy keeps this socket across config loads.
      if (chmod(AdminSocket().c_str(), 0600) != 0) {
        return Status::Internal("caddy daemon: chmod 0600 " + AdminSocket() + ": " +
                                std::strerror(errno));
      }
      return Status::Ok();
    }
    if (!Alive(pid)) {
      fs::remove(PidFile());
      return Status::Unavailable("caddy daemon: caddy (pid " + std::to_string(pid) +
                                 ") exited before its admin API at " + options_.admin_address +
                                 " answered; " + LogFile() + " ends with:\n" + Tail(LogFile()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return Status::DeadlineExceeded("caddy daemon: the admin API at " + options_.admin_address +
                                  " did not answer within " +
                                  std::to_string(options_.start_timeout.count()) +
                                  " ms: " + last.message() + "; see " + LogFile());
}

int CaddyDaemon::RunningPid() const {
  if (int pid = UnixSocketServerPid(AdminSocket()); pid != 0) return pid;
  std::ifstream in(PidFile());
  int pid = 0;
  if (!(in >> pid) || pid <= 0) return 0;
  return Alive(pid) && IsCaddy(pid) ? pid : 0;
}

Status CaddyDaemon::Stop() {
  // The Caddy on the admin socket, then one in the pid file that does not answer there.
  for (int i = 0; i < 2; ++i) {
    const int pid = RunningPid();
    if (pid == 0) break;
    RP_RETURN_IF_ERROR(StopPid(pid));
  }
  fs::remove(PidFile());
  if (const int pid = RunningPid(); pid != 0) {
    return Status::Internal("caddy daemon: caddy (pid " + std::to_string(pid) + ") still runs");
  }
  return Status::Ok();
}

Status CaddyDaemon::StopPid(int pid) {
  kill(pid, SIGTERM);
  auto deadline = Clock::now() + options_.stop_timeout;
  while (Alive(pid) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (Alive(pid)) {
    kill(pid, SIGKILL);
    deadline = Clock::now() + std::chrono::seconds(5);
    while (Alive(pid) && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (Alive(pid)) {
      return Status::Internal("caddy daemon: caddy (pid " + std::to_string(pid) +
                              ") survived SIGKILL");
    }
  }
  return Status::Ok();
}

}  // namespace rockpool
