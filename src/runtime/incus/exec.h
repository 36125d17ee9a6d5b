// Instance exec: POST /1.0/instances/<name>/exec without websockets, output recorded to logs
// that are fetched and then deleted.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "runtime/incus/incus_client.h"
#include "runtime/runtime.h"

namespace rockpool::incus {

struct ExecResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

struct InstanceExecPost {
  std::vector<std::string> command;
  std::map<std::string, std::string> environment;
  int user = 0;  // uid and gid the command runs as
  int group = 0;
  std::string cwd;  // empty: the engine's default
};
Json ToJson(const InstanceExecPost& post);

// Runs the command to completion (up to `timeout`). A command that cannot be started is a
// result with the daemon's exit code (127) and its message on stderr, not an error.
Result<ExecResult> ExecInstance(IncusClient& client, const std::string& instance,
                                const InstanceExecPost& post, std::chrono::seconds timeout);

}  // namespace rockpool::incus
