// TestNetwork: everything the isolation test needs, made for it alone and removed afterwards:
// an LXD bridge with its own /24, a profile on it, a copy of the workspace image under its own
// fingerprint (so the templates and spares made from it are the test's, not the live
// deployment's), and a network namespace behind a veth pair that plays "the internet"
// (198.51.100.2), "cloud metadata" (169.254.169.254) and "a private network" (10.254.253.2),
// each with a web server. Names carry the test's pid.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "sys/process.h"

namespace rockpool::nettest {

struct Shell {
  int code = -1;
  std::string out;
};
// Runs `command` with sh -c on the host.
Shell Host(const std::string& command);

class TestNetwork {
 public:
  TestNetwork();
  ~TestNetwork();  // removes whatever was made, in reverse order
  TestNetwork(const TestNetwork&) = delete;
  TestNetwork& operator=(const TestNetwork&) = delete;

  // Makes the bridge, profile, image copy and namespace.
  Status Make(const std::string& image);

  const std::string& name() const { return name_; }        // bridge, profile, namespace
  const std::string& gateway() const { return gateway_; }  // the host's address on it
  const std::string& image() const { return image_; }      // the copy's alias
  std::string pool() const { return pool_; }
  std::string dir() const { return dir_; }

  static constexpr char kInternet[] = "198.51.100.2";
  static constexpr char kMetadata[] = "169.254.169.254";
  static constexpr char kPrivate[] = "10.254.253.2";
  static constexpr int kServerPort = 8000;

  // How many TCP packets to `port` have arrived in the namespace (counted by nftables there,
  // so SYNs that are never answered count too). Starts counting at the first call.
  Result<int> PacketsTo(int port);

 private:
  Status Step(const std::string& command, const std::string& undo);
  Status PickSubnet();

  std::string name_;
  std::string gateway_;
  std::string image_;
  std::string pool_;
  std::string dir_;
  RealProcessRunner runner_;
  std::vector<std::string> undo_;  // shell commands, run last first
  std::vector<int> daemons_;       // servers in the namespace
};

}  // namespace rockpool::nettest
