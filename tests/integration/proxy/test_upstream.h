// TestUpstream: a small HTTP server standing in for a workspace (on a unix socket) or the
// control plane (on 127.0.0.1:0 or a unix socket), on its own thread. It records every request
// it gets (WebSocket upgrades included) and answers "<name> <target>" unless a responder says
// otherwise; WebSocket messages are echoed.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace rockpool::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct RecordedRequest {
  std::string method;
  std::string target;
  HeaderList headers;
  size_t body_size = 0;
  bool upgrade = false;

  // Every value of header `name` (case-insensitive), in order.
  std::vector<std::string> Values(const std::string& name) const;
  // The first value, or "" when absent.
  std::string Header(const std::string& name) const;
  bool Has(const std::string& name) const { return !Values(name).empty(); }
};

struct Reply {
  int status = 200;
  HeaderList headers;
  std::string body;
};

class TestUpstream {
 public:
  // Decides the answer to a request; called on the upstream's thread.
  using Responder = std::function<Reply(const RecordedRequest&)>;

  static std::unique_ptr<TestUpstream> OnUnixSocket(std::string name, std::string path);
  static std::unique_ptr<TestUpstream> OnLoopback(std::string name);
  virtual ~TestUpstream() = default;

  virtual int port() const = 0;  // 0 on a unix socket
  int requests() const { return requests_.load(); }

  void SetResponder(Responder responder);
  std::vector<RecordedRequest> Recorded() const;
  // Recorded requests whose target starts with `prefix`.
  std::vector<RecordedRequest> RecordedUnder(const std::string& prefix) const;

 protected:
  // Records `request` and returns the answer for it (a 200 "<name> <target>" by default).
  Reply Handle(const std::string& name, RecordedRequest request);

  std::atomic<int> requests_{0};

 private:
  mutable std::mutex mu_;
  Responder responder_;
  std::vector<RecordedRequest> recorded_;
};

// Opens a unix socket file at `path` that nobody accepts on (like a stopped workspace's
// leftover socket); connecting to it is refused.
void MakeStaleSocket(const std::string& path);

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then closed).
int FreeLoopbackPort();
// The first of `count` consecutive TCP ports on 127.0.0.1 that were all free a moment ago; 0
// when no such range was found.
int FreeLoopbackPorts(int count);

}  // namespace rockpool::testing
