// Finding the daemon's API socket.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace rockpool::incus {

// Where Incus, Debian's LXD and the LXD snap put their API socket, in the order tried.
std::vector<std::string> KnownSocketPaths();

// The first known socket that exists ($ROCKPOOL_INCUS_SOCKET overrides). Unavailable, naming
// the paths tried and the fix, when there is none.
Result<std::string> DetectSocket();

}  // namespace rockpool::incus
