// CaddyDaemon: starts Caddy when its admin endpoint does not answer, and stops the Caddy it
// started. Caddy runs detached (`caddy run` with a tiny initial config that only sets the
// admin address), with its data and config homes and a pid file under one state dir.
#pragma once

#include <chrono>
#include <string>

#include "core/status.h"
#include "proxy/caddy/caddy_config.h"
#include "proxy/proxy.h"
#include "sys/process.h"

namespace rockpool {

struct CaddyDaemonOptions {
  std::string binary = "caddy";
  std::string state_dir;  // created when missing; holds caddy.pid, caddy.log, data/, config/
  std::string admin_address = std::string(kDefaultCaddyAdminAddress);
  std::chrono::milliseconds start_timeout{15'000};
  std::chrono::milliseconds stop_timeout{10'000};
};

class CaddyDaemon {
 public:
  // `admin` pings the admin endpoint at options.admin_address; both references must outlive
  // this object.
  CaddyDaemon(ProcessRunner& runner, Proxy& admin, CaddyDaemonOptions options);

  // Ok once the admin endpoint answers, starting Caddy first when it does not.
  Status EnsureRunning();
  // Stops the Caddy recorded in the pid file (SIGTERM, then SIGKILL after stop_timeout) and
  // removes the file. Ok when there is none.
  Status Stop();

  std::string PidFile() const { return options_.state_dir + "/caddy.pid"; }
  std::string LogFile() const { return options_.state_dir + "/caddy.log"; }
  std::string InitialConfigFile() const { return options_.state_dir + "/caddy-initial.json"; }

 private:
  Status Start();
  Status WaitForAdmin(int pid);

  ProcessRunner& runner_;
  Proxy& admin_;
  CaddyDaemonOptions options_;
};

}  // namespace rockpool
