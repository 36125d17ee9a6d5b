// Peer: a second private Rockpool, brought up by a test with scripts/harness.sh's
// start_private and purged when the object dies, for tests that need two deployments or a
// deployment with settings of its own.
#pragma once

#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e_support.h"

namespace rockpool::e2e {

inline const std::string kRoot = ROCKPOOL_SOURCE_DIR;

// The settings of a second private Rockpool, as scripts/harness.sh's start_private exports them.
class Peer {
 public:
  // `env`: settings for start_private (scripts/harness.sh), such as ROCKPOOL_TEST_WARM_POOL.
  Status Start(std::vector<std::string> env = {}) {
    env.push_back("ROCKPOOL_SUITE_PID=" + std::to_string(getpid()));
    auto r = RunCommand({"bash", "-c",
                         "source " + kRoot + "/scripts/lib.sh && source " + kRoot +
                             "/scripts/harness.sh && start_private >&2 && env | grep -E "
                             "'^(ROCKPOOL_[A-Z_]+|LXD_CONF)=' && printf '%s\\n' "
                             "PRIVATE_DIR=$PRIVATE_DIR PRIVATE_PROJECT=$PRIVATE_PROJECT "
                             "PRIVATE_BRIDGE=$PRIVATE_BRIDGE"},
                        env);
    if (!r.ok()) return r.status();
    for (size_t at = 0; at < r->output.size();) {
      size_t end = r->output.find('\n', at);
      std::string line = r->output.substr(at, end - at);
      at = end == std::string::npos ? r->output.size() : end + 1;
      size_t eq = line.find('=');
      if (eq != std::string::npos &&
          (line.rfind("ROCKPOOL_", 0) == 0 || line.rfind("LXD_CONF", 0) == 0 ||
           line.rfind("PRIVATE_", 0) == 0)) {
        env_[line.substr(0, eq)] = line.substr(eq + 1);
      }
    }
    if (r->exit_code != 0 || env_["PRIVATE_DIR"].empty()) {
      return Status::Internal("the second Rockpool did not come up: " + r->output);
    }
    return Status::Ok();
  }

  ~Peer() {
    if (env_["PRIVATE_DIR"].empty()) return;
    (void)RunCommand({"bash", "-c",
                      "source " + kRoot + "/scripts/lib.sh && source " + kRoot +
                          "/scripts/harness.sh && purge_private \"$0\" \"$1\" \"$2\"",
                      env_["PRIVATE_DIR"], env_["PRIVATE_PROJECT"], env_["PRIVATE_BRIDGE"]});
  }

  // `rockpool <args>` against this deployment (as root, through its local socket).
  Result<ProcessResult> Rockpool(std::vector<std::string> args) {
    args.insert(args.begin(), kRockpool);
    return RunCommand(args, Env());
  }
  Result<ProcessResult> Lxc(std::vector<std::string> args) {
    args.insert(args.begin(), "lxc");
    return RunCommand(args, Env());
  }
  // Workspace name -> status, from `rockpool ws ls --json`.
  std::map<std::string, std::string> Workspaces() {
    std::map<std::string, std::string> out;
    auto r = Rockpool({"ws", "ls", "--json"});
    if (!r.ok() || r->exit_code != 0) return out;
    auto list = nlohmann::json::parse(r->output, nullptr, false);
    if (!list.is_array()) return out;
    for (const auto& ws : list) out[ws.value("name", "")] = ws.value("status", "");
    return out;
  }
  std::string project() { return env_["ROCKPOOL_PROJECT"]; }
  // One of its settings, such as ROCKPOOL_CONTROL_PORT; empty when it has none.
  std::string setting(const std::string& key) { return env_[key]; }
  std::string state_dir() { return env_["ROCKPOOL_STATE_DIR"]; }
  std::string log_dir() { return env_["ROCKPOOL_LOG_DIR"]; }
  // Its settings, "KEY=value", for other processes of this deployment.
  std::vector<std::string> Env() {
    std::vector<std::string> out;
    for (const auto& [k, v] : env_) out.push_back(k + "=" + v);
    return out;
  }

 private:
  std::map<std::string, std::string> env_;
};

}  // namespace rockpool::e2e
