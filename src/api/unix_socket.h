// Preparing the path of the control plane's unix socket (<state>/control.sock).
#pragma once

#include <string>

#include "core/status.h"

namespace rockpool::api {

// Makes `path` ready to bind: missing parent folders are created with mode 0700, and a
// socket file left by an earlier run is removed. Refuses (with the fix in the message) when
// a server still answers on it, when `path` is something other than a socket, or when it is
// too long for a socket address.
Status PrepareUnixSocketPath(const std::string& path);

// The uid of the process at the other end of a connected unix socket (SO_PEERCRED).
Result<uid_t> PeerUid(int fd);

}  // namespace rockpool::api
