// CaddyDaemon: starts Caddy when its admin endpoint does not answer, and stops the Caddy it
// started. Caddy runs detached (`caddy run` with a tiny initial config that only sets the
// admin address), with its data and config homes and a pid file under one state dir.
//
// The admin endpoint can replace Caddy's whole config, so only root (Caddy's user) may reach
// it: it listens on a unix socket whose folder is 0700 and ours (Caddy 2.6 cannot set the
// socket's own mode; it is set to 0600 once Caddy is up). A TCP admin address is refused.
#pragma once

#include <chrono>
#include <string>

#include "core/status.h"
#include "proxy/caddy/caddy_config.h"
#include "proxy/proxy.h"
#include "sys/process.h"

namespace rockpool {

// "unix/<state_dir>/admin.sock": the admin address CaddyDaemon uses when none is given.
std::string CaddyAdminSocketAddress(const std::string& state_dir);

struct CaddyDaemonOptions {
  std::string binary = "caddy";
  // Created 0700 when missing, tightened to 0700 when not; holds caddy.pid, caddy.log, data/,
  // config/ and by default the admin socket.
  std::string state_dir;
  // "unix/<absolute path>"; empty: CaddyAdminSocketAddress(state_dir).
  std::string admin_address;
  std::chrono::milliseconds start_timeout{15'000};
  std::chrono::milliseconds stop_timeout{10'000};
};

class CaddyDaemon {
 public:
  // `admin` pings the admin endpoint at options.admin_address; both references must outlive
  // this object.
  CaddyDaemon(ProcessRunner& runner, Proxy& admin, CaddyDaemonOptions options);

  // Ok once the admin endpoint answers. When it does not, stops the Caddy recorded in the pid
  // file (ours, but not answering at this address) and starts Caddy. Fails without starting
  // anything when the admin address is not a unix socket, or when its folder cannot be made
  // 0700 and ours.
  Status EnsureRunning();
  // Stops the running Caddy (RunningPid: SIGTERM, then SIGKILL after stop_timeout) and
  // removes the pid file. Ok when there is none.
  Status Stop();
  // The pid of the Caddy serving the admin socket (SO_PEERCRED), else of the live caddy in the
  // pid file, else 0.
  int RunningPid() const;
  // Secures the folders and writes the initial config that RunSpec() loads.
  Status Prepare();
  // The command line, environment and folder Caddy runs with (also rendered into a unit).
  ProcessSpec RunSpec() const;

  std::string PidFile() const { return options_.state_dir + "/caddy.pid"; }
  std::string LogFile() const { return options_.state_dir + "/caddy.log"; }
  std::string InitialConfigFile() const { return options_.state_dir + "/caddy-initial.json"; }
  const std::string& AdminAddress() const { return options_.admin_address; }
  std::string AdminSocket() const;

 private:
  Status SecureFolders();
  Status Start();
  Status StopPid(int pid);
  Status WaitForAdmin(int pid);

  ProcessRunner& runner_;
  Proxy& admin_;
  CaddyDaemonOptions options_;
};

}  // namespace rockpool
