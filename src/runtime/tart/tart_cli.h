// The `tart` command line as TartRuntime uses it: VM names, running `tart`, reading
// `tart list --format json`, and turning tart's failures into Statuses that name the workspace.
//
// What tart prints and how it exits was read from cirruslabs/tart (Sources/tart/...):
//   Root.swift             errors go to stderr as "<description>\n"; a RuntimeError exits with
//                          its own code (VMStorageHelper.swift: 2 for VMDoesNotExist,
//                          VMNotRunning and VMAlreadyRunning, 1 for the rest); any other error
//                          goes through ArgumentParser (exit 1, "Error: ..."; 64 for usage).
//   VMStorageHelper.swift  "the specified VM \"<vm>\" does not exist", "VM \"<vm>\" is not
//                          running", "VM \"<vm>\" is running" (delete of a running VM).
//   Commands/Run.swift     "VM \"<vm>\" is already running!" (exit 2).
//   Commands/List.swift    --format json: an array of {Source, Name, Disk, Size, Accessed,
//                          Running, State}; State is VMDirectory.State: "running", "suspended"
//                          or "stopped" (VMDirectory.swift); Source "local" or "OCI".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace rockpool::tart {

// Tart has no labels: a VM is Rockpool's when its name is kVmPrefix + a valid workspace name.
// The '_' cannot occur in a workspace name, so an image named like "rockpool-workspace" is
// never taken for one.
inline constexpr char kVmPrefix[] = "rockpool_";
std::string VmName(std::string_view workspace);
// The workspace a VM name belongs to; nullopt for VMs that are not Rockpool's.
std::optional<std::string> WorkspaceOfVm(std::string_view vm);

struct TartResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `tart_path args...` to completion with `env` ("KEY=value") added to the environment.
// Non-ok only when the program could not be started (the message says how to install tart).
Result<TartResult> RunTart(const std::string& tart_path, const std::vector<std::string>& args,
                           const std::vector<std::string>& env);

// Starts `tart_path args...` in a session of its own (it outlives this process), stdin from
// /dev/null, stdout and stderr appended to `log_file`. Returns its pid.
Result<int> SpawnTartDetached(const std::string& tart_path, const std::vector<std::string>& args,
                              const std::vector<std::string>& env, const std::string& log_file);

struct TartVm {
  std::string name;
  std::string source;  // "local" or "OCI"
  std::string state;   // "running", "suspended", "stopped"
  bool running = false;
};
// Parses `tart list --format json`. InvalidArgument quoting the text when it is not that.
Result<std::vector<TartVm>> ParseList(std::string_view json);

// "Running", "Stopped", "Suspended": the engine's word as InstanceInfo carries it.
std::string StatusWord(std::string_view state);

enum class TartFailure {
  kOther,
  kVmMissing,       // the specified VM "<vm>" does not exist
  kNotRunning,      // VM "<vm>" is not running
  kAlreadyRunning,  // VM "<vm>" is already running!
  kIsRunning,       // VM "<vm>" is running (delete)
};
// What a failed tart command (exit code != 0) said, for `vm`.
TartFailure ClassifyFailure(const TartResult& result, std::string_view vm);

// The error of a failed command: "tart: <what> (workspace <name>): `tart args` exited <n>:
// <stderr>", with the code its failure maps to (kVmMissing: NotFound, else Internal).
Status FailureStatus(const TartResult& result, const std::vector<std::string>& args,
                     std::string_view workspace, std::string_view what);

}  // namespace rockpool::tart
