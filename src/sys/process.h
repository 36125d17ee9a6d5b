// Running external programs (mmdebstrap, npm, the engine and proxy daemons) through one
// interface, so callers are tested with FakeProcessRunner and run for real with
// RealProcessRunner.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"

namespace rockpool {

struct ProcessSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // extra "KEY=value" entries on top of the current environment
  std::string cwd;               // empty: inherit
  // Called with each line of combined stdout+stderr; when empty, output is collected.
  std::function<void(const std::string&)> on_line;
};

struct ProcessResult {
  int exit_code = -1;
  std::string output;  // combined stdout+stderr when on_line was empty
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs to completion. Non-ok only when the program could not be started.
  virtual Result<ProcessResult> Run(const ProcessSpec& spec) = 0;
  // Starts a long-running daemon detached from this process (own session, output to
  // `log_file`), returns its pid.
  virtual Result<int> SpawnDaemon(const ProcessSpec& spec, const std::string& log_file) = 0;
};

class RealProcessRunner final : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const ProcessSpec& spec) override;
  Result<int> SpawnDaemon(const ProcessSpec& spec, const std::string& log_file) override;
};

// "cmd arg1 'arg two'" for messages.
std::string CommandLine(const std::vector<std::string>& argv);

// This process's environment with `extra` ("KEY=value") entries added, replacing any of the
// same key: what a child started with ProcessSpec::env sees.
std::vector<std::string> MergedEnvironment(const std::vector<std::string>& extra);
// Pointers to `strings` for exec and posix_spawn, ending with nullptr; valid while `strings`
// is alive and unchanged.
std::vector<char*> CStringArray(std::vector<std::string>& strings);

}  // namespace rockpool
