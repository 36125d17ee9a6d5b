// Who listens on a TCP port of this host, for "port already in use" errors that name the
// program to stop.
#pragma once

#include <optional>
#include <string>

namespace rockpool {

struct PortOwner {
  int pid = 0;          // 0 when the socket's process could not be found
  std::string program;  // /proc/<pid>/comm
};

// nullopt when nothing listens on `port` (IPv4 or IPv6, any address).
std::optional<PortOwner> FindListener(int port);

// "port 8081 is in use by caddy (pid 1234)" or "... by another program".
std::string DescribeListener(int port, const PortOwner& owner);

}  // namespace rockpool
