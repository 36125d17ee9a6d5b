// rockpool serve --dev: the control plane for developing the API and the dashboard on any
// machine. The same ApiServer, handlers, validation and SecurityGate as `rockpool serve`, on
// TCP 127.0.0.1 only, with the dev-mode runtime (runtime/sim: simulated workspaces), a proxy
// that does nothing (proxy/noop), a fresh SQLite store in a temporary folder removed on exit,
// and the built dashboard served at /app. It never touches LXD/Incus, Caddy, the firewall,
// the deployment's state folder or its ports.
//
// Settings (environment):
//   ROCKPOOL_USERNAME, ROCKPOOL_PASSWORD   the account; else "admin" with a generated password
//   ROCKPOOL_DEV_DELAY_SCALE               multiplies the simulated delays (default 1; 0: none)
//   ROCKPOOL_DEV_FAIL_START                "<workspace>=<message>" lines: those workspaces fail
//                                          to start with that message (dev-only failure hook)
//   ROCKPOOL_IMAGE, ROCKPOOL_LIMIT_*, ROCKPOOL_API_RATE/_BURST   as for `rockpool serve`
#pragma once

#include "core/status.h"

namespace rockpool {

struct DevServeFlags {
  int port = 7180;  // 0: any free port
};

// Serves until SIGINT/SIGTERM. Prints "url: ...", "username: ..." and "password: ..." lines on
// stdout once it listens.
Status ServeDev(const DevServeFlags& flags);

}  // namespace rockpool
