// Rockpool as a service: the control plane (`rockpool serve`) and its Caddy kept running by
// systemd units where PID 1 is systemd, else by `rockpool supervise`; found again by locks and
// sockets, not by pid files, so `down` stops also a control plane started by hand.
#pragma once

#include <string>
#include <vector>

#include "cli/context.h"

namespace rockpool {

// Serve process `process` (1 to Config::serve_processes; the first one's names have no number).
std::string ServeLockFile(const Config& c, int process = 1);  // held by `rockpool serve`
std::string SupervisorLockFile(const Config& c);              // held by `rockpool supervise`
std::string ServeLogFile(const Config& c, int process = 1);
std::string ServePidFile(const Config& c, int process = 1);  // written by `rockpool serve`
std::string SupervisorLogFile(const Config& c);

struct RunningParts {
  int supervisor = 0;
  std::vector<int> serves;  // every serve process found, whatever serve_processes says now
  int caddy = 0;
  bool any() const { return supervisor != 0 || !serves.empty() || caddy != 0; }
  // "the supervisor (pid 12), caddy (pid 34)"; empty when nothing runs.
  std::string Describe() const;
};

// Serve process `process`: holder of its lock, else the server of its sockets; 0 when none.
int FindServe(const Config& c, int process = 1);
int FindSupervisor(const Config& c);
RunningParts FindRunning(Context& ctx);

bool ControlPlaneAnswers(const Config& c, int process = 1);
// Starts serve process `process` (`rockpool serve --process <n>`, this executable as it is on
// disk now) detached, logging to ServeLogFile; its pid once it answers, else why not with the
// end of its log.
Result<int> StartServe(Context& ctx, int process = 1);

// `up`: installs and starts the systemd units, or starts the supervisor, and prints which; a
// second run keeps what runs unless the rockpool executable was rebuilt since it started.
Status EnsureService(Context& ctx);
// Stops the running workspaces through the control plane, when it answers, and waits for
// their stop jobs.
Status StopWorkspaces(Context& ctx);
// Stops the supervisor and the control plane (Caddy stays); `up` starts them again.
Status StopControlPlane(Context& ctx);
// `down`: stops the supervisor first (so it restarts nothing), then the control plane and
// Caddy, and checks they are gone; fails naming what still runs.
Status StopService(Context& ctx);

// The last `max_bytes` of a log file, for error messages.
std::string LogTail(const std::string& path, size_t max_bytes = 1500);

}  // namespace rockpool
