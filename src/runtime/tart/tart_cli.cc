#include "runtime/tart/tart_cli.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/names.h"
#include "sys/process.h"

namespace rockpool::tart {

std::string VmName(std::string_view workspace) { return kVmPrefix + std::string(workspace); }

std::optional<std::string> WorkspaceOfVm(std::string_view vm) {
  std::string_view prefix = kVmPrefix;
  if (!vm.starts_with(prefix)) return std::nullopt;
  std::string name(vm.substr(prefix.size()));
  if (!ValidateWorkspaceName(name).ok()) return std::nullopt;
  return name;
}

namespace {

// Reads both pipes until both are closed.
void Drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&out, &err};
  int open = 2;
  char buf[4096];
  while (open > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
}

bool CloexecPipe(int fds[2]) {
  if (pipe(fds) != 0) return false;
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  return true;
}

// Children get stdin, stdout and stderr only (pipe2 and closefrom_np are Linux's; this file
// also builds on macOS, Tart's only host).
void OnlyStandardFds(posix_spawn_file_actions_t* actions, posix_spawnattr_t* attr, short flags) {
#ifdef __APPLE__
  flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;
  (void)actions;
#else
  posix_spawn_file_actions_addclosefrom_np(actions, 3);
#endif
  posix_spawnattr_setflags(attr, flags);
}

Status CannotRun(const std::vector<std::string>& argv, int err) {
  return Status::Unavailable("tart: cannot run " + CommandLine(argv) + ": " + strerror(err) +
                             "; install Tart (brew install cirruslabs/cli/tart) or set "
                             "ROCKPOOL_TART to its path");
}

// posix_spawnp of `tart_path args` with this environment plus `env`, only the standard
// descriptors open, and `flags`; consumes `actions`.
Result<pid_t> Spawn(const std::string& tart_path, const std::vector<std::string>& args,
                    const std::vector<std::string>& env, posix_spawn_file_actions_t& actions,
                    short flags) {
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  OnlyStandardFds(&actions, &attr, flags);
  std::vector<std::string> argv = {tart_path};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> envp = MergedEnvironment(env);
  auto c_argv = CStringArray(argv);
  auto c_env = CStringArray(envp);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, c_argv[0], &actions, &attr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return CannotRun(argv, rc);
  return pid;
}

}  // namespace

Result<TartResult> RunTart(const std::string& tart_path, const std::vector<std::string>& args,
                           const std::vector<std::string>& env) {
  int out_pipe[2];
  int err_pipe[2];
  if (!CloexecPipe(out_pipe)) return Status::Internal(std::string("pipe: ") + strerror(errno));
  if (!CloexecPipe(err_pipe)) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return Status::Internal(std::string("pipe: ") + strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  Result<pid_t> pid = Spawn(tart_path, args, env, actions, 0);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (!pid.ok()) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return pid.status();
  }
  TartResult result;
  Drain(out_pipe[0], err_pipe[0], result.out, result.err);
  int wstatus = 0;
  while (waitpid(*pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  return result;
}

Result<int> SpawnTartDetached(const std::string& tart_path, const std::vector<std::string>& args,
                              const std::vector<std::string>& env, const std::string& log_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  RP_ASSIGN_OR_RETURN(pid_t pid, Spawn(tart_path, args, env, actions, POSIX_SPAWN_SETSID));
  // Reaped when it ends, so no zombie stays behind; a restarted control plane is not its parent
  // and does not need to be (the VM is found again through `tart list`).
  std::thread([pid] {
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
  }).detach();
  return static_cast<int>(pid);
}

Result<std::vector<TartVm>> ParseList(std::string_view json) {
  auto doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_array()) {
    return Status::InvalidArgument("tart list --format json: not a JSON array: " +
                                   std::string(json.substr(0, 200)));
  }
  std::vector<TartVm> vms;
  for (const auto& entry : doc) {
    if (!entry.is_object() || !entry.contains("Name") || !entry["Name"].is_string()) {
      return Status::InvalidArgument("tart list --format json: an entry without a Name: " +
                                     entry.dump());
    }
    TartVm vm{.name = entry["Name"].get<std::string>(),
              .source = entry.value("Source", ""),
              .state = entry.value("State", "")};
    // "Running" is kept by tart only for compatibility (Formatter/Format.swift); State decides.
    vm.running = vm.state.empty() ? entry.value("Running", false) : vm.state == "running";
    if (vm.state.empty()) vm.state = vm.running ? "running" : "stopped";
    vms.push_back(std::move(vm));
  }
  return vms;
}

std::string StatusWord(std::string_view state) {
  if (state.empty()) return "Unknown";
  std::string word(state);
  word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
  return word;
}

TartFailure ClassifyFailure(const TartResult& result, std::string_view vm) {
  if (result.exit_code == 0) return TartFailure::kOther;
  const std::string quoted = "\"" + std::string(vm) + "\"";
  const std::string& err = result.err;
  if (err.find("the specified VM " + quoted + " does not exist") != std::string::npos) {
    return TartFailure::kVmMissing;
  }
  if (err.find("VM " + quoted + " is already running") != std::string::npos) {
    return TartFailure::kAlreadyRunning;
  }
  if (err.find("VM " + quoted + " is not running") != std::string::npos) {
    return TartFailure::kNotRunning;
  }
  if (err.find("VM " + quoted + " is running") != std::string::npos) return TartFailure::kIsRunning;
  return TartFailure::kOther;
}

Status FailureStatus(const TartResult& result, const std::vector<std::string>& args,
                     std::string_view workspace, std::string_view what) {
  std::string said = result.err.empty() ? result.out : result.err;
  while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
  std::vector<std::string> argv = {"tart"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string message = "tart: " + std::string(what) + " (workspace " + std::string(workspace) +
                        "): `" + CommandLine(argv) + "` exited " +
                        std::to_string(result.exit_code) + ": " +
                        (said.empty() ? "(no output)" : said);
  // A missing VM (the workspace's, or the image a clone starts from) is NotFound; exit code 2
  // is RuntimeError.VMDoesNotExist's (VMStorageHelper.swift).
  if (result.exit_code == 2 && said.starts_with("the specified VM \"") &&
      said.ends_with("\" does not exist")) {
    return Status::NotFound(message);
  }
  return Status::Internal(message);
}

}  // namespace rockpool::tart
