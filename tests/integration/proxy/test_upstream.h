// TestUpstream: a small HTTP server standing in for a workspace (on a unix socket) or the
// control plane (on 127.0.0.1:0). It answers every request with "<name> <target>" and echoes
// WebSocket messages, on its own thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>

namespace rockpool::testing {

class TestUpstream {
 public:
  static std::unique_ptr<TestUpstream> OnUnixSocket(std::string name, std::string path);
  static std::unique_ptr<TestUpstream> OnLoopback(std::string name);
  virtual ~TestUpstream() = default;

  virtual int port() const = 0;  // 0 on a unix socket
  int requests() const { return requests_.load(); }

 protected:
  std::atomic<int> requests_{0};
};

// Opens a unix socket file at `path` that nobody accepts on (like a stopped workspace's
// leftover socket); connecting to it is refused.
void MakeStaleSocket(const std::string& path);

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then closed).
int FreeLoopbackPort();

}  // namespace rockpool::testing
