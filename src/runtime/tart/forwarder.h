// SocketForwarder: host unix sockets whose connections are relayed to a TCP address, in this
// process (one Boost.Asio thread). TartRuntime keeps one per workspace socket, <dir>/<name>.sock
// to the VM's code-server and <dir>/<name>.<port>.sock to a forwarded port, because Tart has no
// equivalent of LXD's proxy devices.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/status.h"

namespace rockpool::tart {

struct ListenSpec {
  std::string path;  // unix socket to listen on; an existing file there is replaced
  std::string host;  // IPv4 address to connect each accepted connection to
  int port = 0;
  int uid = -1;  // owner of the socket file (-1: leave as made)
  int gid = -1;
  unsigned mode = 0660;
};

class SocketForwarder {
 public:
  SocketForwarder();
  ~SocketForwarder();
  SocketForwarder(const SocketForwarder&) = delete;
  SocketForwarder& operator=(const SocketForwarder&) = delete;

  // Listens on spec.path (replacing a listener there already). Errors name the path.
  Status Listen(const ListenSpec& spec);
  // Stops listening on `path` and deletes the file; ok when nothing listens there.
  void Close(const std::string& path);
  // Whether something listens on `path` here, and where it forwards to ("host:port").
  std::string Target(const std::string& path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rockpool::tart
