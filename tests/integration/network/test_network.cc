#include "tests/integration/network/test_network.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace rockpool::nettest {
namespace {

constexpr char kBusybox[] = "/usr/bin/busybox";

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Shell Host(const std::string& command) {
  RealProcessRunner runner;
  auto r = runner.Run({.argv = {"sh", "-c", command}});
  if (!r.ok()) return {-1, r.status().ToString()};
  return {r->exit_code, r->output};
}

TestNetwork::TestNetwork()
    : name_("rpnt" + std::to_string(::getpid() % 100000)), dir_("/tmp/" + name_) {}

TestNetwork::~TestNetwork() {
  for (int pid : daemons_) {
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
  }
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) Host(*it + " >/dev/null 2>&1");
  std::filesystem::remove_all(dir_);
}

Status TestNetwork::Step(const std::string& command, const std::string& undo) {
  Shell r = Host(command + " 2>&1");
  if (r.code != 0) {
    return Status::Internal("test network: `" + command + "` exited " + std::to_string(r.code) +
                            ": " + Trim(r.out));
  }
  if (!undo.empty()) undo_.push_back(undo);
  return Status::Ok();
}

Status TestNetwork::PickSubnet() {
  std::string routes = Host("ip -4 route; ip -4 addr").out;
  for (int i = 0; i < 200; ++i) {
    std::string prefix = "10.251." + std::to_string((::getpid() + i) % 200 + 20) + ".";
    if (routes.find(prefix) == std::string::npos && prefix != "10.187.42.") {
      gateway_ = prefix + "1";
      return Status::Ok();
    }
  }
  return Status::Unavailable("test network: no free 10.251.x.0/24");
}

Status TestNetwork::Make(const std::string& source_image) {
  if (!std::filesystem::exists(kBusybox)) {
    return Status::Unavailable(std::string("test network: ") + kBusybox +
                               " missing (apt-get install busybox-static)");
  }
  std::filesystem::create_directories(dir_ + "/www");
  std::ofstream(dir_ + "/www/index.html") << "reached\n";
  RP_RETURN_IF_ERROR(PickSubnet());
  pool_ = Trim(Host("lxc profile device get default root pool").out);
  if (pool_.empty()) return Status::Unavailable("test network: no root pool in profile default");
  const std::string& n = name_;
  RP_RETURN_IF_ERROR(Step("lxc network create " + n + " ipv4.address=" + gateway_ +
                              "/24 ipv4.nat=true ipv6.address=none",
                          "lxc network delete " + n));
  RP_RETURN_IF_ERROR(Step("lxc profile create " + n, "lxc profile delete " + n));
  RP_RETURN_IF_ERROR(Step("lxc profile device add " + n + " root disk path=/ pool=" + pool_ +
                              " && lxc profile device add " + n + " eth0 nic network=" + n,
                          ""));
  // The same files plus one marker: another fingerprint, so templates and spares are ours.
  image_ = n;
  RP_RETURN_IF_ERROR(
      Step("set -e; mkdir -p " + dir_ + "/export; cd " + dir_ + "/export; lxc image export " +
               source_image + " img >/dev/null; echo " + n + " > rockpool-test-marker; " +
               "if [ -f img.root ]; then mkdir m; tar -xf img -C m; cp rockpool-test-marker m/; "
               "tar -czf meta.tar.gz -C m .; lxc image import meta.tar.gz img.root --alias " +
               n +
               " >/dev/null; "
               "else f=$(ls | grep -v marker); tar -rf \"$f\" rockpool-test-marker; "
               "lxc image import \"$f\" --alias " +
               n +
               " >/dev/null; fi; "
               "cd /; rm -rf " +
               dir_ + "/export",
           "lxc image delete " + n));
  // "The internet" and friends in a namespace, routed from the host.
  const std::string ns = "ip netns exec " + n + " ";
  RP_RETURN_IF_ERROR(Step("ip netns add " + n, "ip netns delete " + n));
  RP_RETURN_IF_ERROR(Step(
      "ip link add " + n + "h type veth peer name " + n + "n && ip link set " + n + "n netns " + n,
      "ip link delete " + n + "h"));
  RP_RETURN_IF_ERROR(
      Step("ip addr add 198.51.100.1/24 dev " + n + "h && ip link set " + n + "h up && " + ns +
               "ip link set lo up && " + ns + "ip addr add 198.51.100.2/24 dev " + n + "n && " +
               ns + "ip link set " + n + "n up && " + ns +
               "ip route add default via 198.51.100.1 && " + ns + "ip addr add " + kMetadata +
               "/32 dev lo && " + ns + "ip addr add " + kPrivate + "/32 dev lo",
           ""));
  RP_RETURN_IF_ERROR(Step("ip route add " + std::string(kMetadata) + "/32 via 198.51.100.2",
                          "ip route del " + std::string(kMetadata) + "/32 via 198.51.100.2"));
  RP_RETURN_IF_ERROR(Step("ip route add " + std::string(kPrivate) + "/32 via 198.51.100.2",
                          "ip route del " + std::string(kPrivate) + "/32 via 198.51.100.2"));
  auto httpd =
      runner_.SpawnDaemon({.argv = {"ip", "netns", "exec", n, kBusybox, "httpd", "-f", "-p",
                                    "0.0.0.0:" + std::to_string(kServerPort), "-h", dir_ + "/www"}},
                          dir_ + "/httpd.log");
  if (!httpd.ok()) return httpd.status();
  daemons_.push_back(*httpd);
  return Status::Ok();
}

Result<int> TestNetwork::PacketsTo(int port) {
  const std::string nft = "ip netns exec " + name_ + " nft ";
  const std::string rule = "tcp dport " + std::to_string(port) + " counter";
  if (Host(nft + "list table inet probe >/dev/null 2>&1").code != 0) {
    RP_RETURN_IF_ERROR(Step(nft + "add table inet probe && " + nft +
                                "'add chain inet probe in { type filter hook prerouting priority "
                                "-300; }'",
                            ""));
  }
  Shell list = Host(nft + "list chain inet probe in");
  if (list.out.find(rule + " packets") == std::string::npos) {
    RP_RETURN_IF_ERROR(Step(nft + "add rule inet probe in " + rule, ""));
    list = Host(nft + "list chain inet probe in");
  }
  size_t at = list.out.find(rule + " packets ");
  if (at == std::string::npos) return Status::Internal("no counter in: " + list.out);
  return std::stoi(list.out.substr(at + rule.size() + 9));
}

}  // namespace rockpool::nettest
