// Who listens on a TCP port of this host, for "port already in use" errors that name the
// program to stop.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace rockpool {

struct PortOwner {
  int pid = 0;          // 0 when the socket's process could not be found
  std::string program;  // /proc/<pid>/comm
};

// nullopt when nothing listens on `port` (IPv4 or IPv6, any address).
std::optional<PortOwner> FindListener(int port);
// Who listens on each port from `first` to `last` that something listens on, from one read of
// the socket tables and one walk of /proc (a range of 1000 ports costs about what one port does).
std::map<int, PortOwner> FindListeners(int first, int last);

// "port 8081 is in use by caddy (pid 1234)" or "... by another program".
std::string DescribeListener(int port, const PortOwner& owner);

}  // namespace rockpool
