// Network isolation against the real engine and kernel, on a bridge of the test's own
// (test_network.h): two workspaces made by IncusRuntime, A the attacker and B the victim, and
// the host firewall for that bridge. Each attack is first shown to work where the protection
// it meets is absent, so a refusal means the protection worked, not that the test is broken.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "network/firewall_policy.h"
#include "network/nft_firewall.h"
#include "network/nft_rules.h"
#include "runtime/incus/files.h"
#include "runtime/incus/hardening.h"
#include "runtime/incus/images.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/instances.h"
#include "runtime/incus/socket.h"
#include "tests/integration/network/test_network.h"
#include "tests/integration/polling.h"
#include "tests/integration/test_project.h"

namespace rockpool::nettest {
namespace {

using incus::IncusClient;
using incus::IncusRuntime;
using ::testing::HasSubstr;

std::string SourceImage() {
  const char* env = std::getenv("ROCKPOOL_TEST_IMAGE");
  return env != nullptr && *env != '\0' ? env : "rockpool-workspace";
}

// A TCP server on 0.0.0.0:<free port> of the host, answering every connection and counting.
class HostServer {
 public:
  HostServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(fd_, 16);
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~HostServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  int connections() const { return connections_; }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      ++connections_;
      const char reply[] = "HTTP/1.0 200 OK\r\nContent-Length: 8\r\n\r\nreached\n";
      (void)!::write(c, reply, sizeof(reply) - 1);
      ::close(c);
    }
  }
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

struct Suite {
  TestNetwork net;
  std::shared_ptr<IncusClient> client;
  std::unique_ptr<IncusRuntime> runtime;
  std::unique_ptr<RealProcessRunner> runner = std::make_unique<RealProcessRunner>();
  std::unique_ptr<NftFirewall> firewall;
  std::vector<std::string> workspaces;
  std::string a_ip, b_ip;
  std::string a, b;  // workspace names

  ~Suite() {
    if (runtime) {
      for (const auto& ws : workspaces) (void)runtime->Remove(ws);
      // The template and spare made from the test's image copy.
      Host(
          "for i in $(lxc list -c n --format csv); do lxc config get $i "
          "user.rockpool.template.alias | grep -qx " +
          net.image() + " && lxc delete -f $i; done >/dev/null 2>&1");
    }
    Host("nft delete table inet " + FirewallTableName(net.name()) + " >/dev/null 2>&1");
  }
};

Suite* suite = nullptr;

class IsolationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto socket = incus::DetectSocket();
    if (!socket.ok()) return;
    if (testing_env::EngineTestProject().empty()) return;
    auto client = IncusClient::ForSocket(*socket, testing_env::EngineTestProject());
    auto alias = incus::GetImageAliasTarget(*client, SourceImage());
    if (!alias.ok() || !alias->has_value()) return;
    suite = new Suite();
    suite->client = client;
    Status made = suite->net.Make(SourceImage());
    if (!made.ok()) {
      setup_error_ = made.ToString();
      return;
    }
    incus::IncusRuntimeOptions options;
    options.project = testing_env::EngineTestProject();
    options.socket_dir = suite->net.dir() + "/sockets";
    options.profiles = {suite->net.name()};
    options.network = suite->net.name();
    auto runtime = IncusRuntime::Open(options, *socket);
    if (!runtime.ok()) {
      setup_error_ = runtime.status().ToString();
      return;
    }
    suite->runtime = std::move(*runtime);
    setup_error_ = MakeWorkspaces();
    auto policy = MakeFirewallPolicy(suite->net.name(), suite->net.gateway() + "/24", "on", "");
    if (!policy.ok()) setup_error_ = policy.status().ToString();
    if (policy.ok()) suite->firewall = std::make_unique<NftFirewall>(*suite->runner, *policy);
  }
  static void TearDownTestSuite() {
    delete suite;
    suite = nullptr;
  }

  static std::string MakeWorkspaces() {
    const std::string& n = suite->net.name();
    suite->a = n + "-a";
    suite->b = n + "-b";
    std::ifstream bb("/usr/bin/busybox", std::ios::binary);
    std::stringstream bytes;
    bytes << bb.rdbuf();
    for (const std::string& ws : {suite->a, suite->b}) {
      suite->workspaces.push_back(ws);
      Status st = suite->runtime->Create(ws, suite->net.image(), WorkspaceLimits{});
      if (st.ok()) st = suite->runtime->Start(ws, WorkspaceLimits{});
      if (!st.ok()) return st.ToString();
    }
    itest::PollUntil(
        [] {
          auto a = suite->runtime->Inspect(suite->a);
          auto b = suite->runtime->Inspect(suite->b);
          if (a.ok()) suite->a_ip = a->address;
          if (b.ok()) suite->b_ip = b->address;
          return !suite->a_ip.empty() && !suite->b_ip.empty();
        },
        std::chrono::seconds(60));
    if (suite->a_ip.empty() || suite->b_ip.empty()) return "workspaces got no DHCP lease";
    // Only now: the boot empties /tmp (systemd-tmpfiles) before the network comes up.
    for (const std::string& ws : {suite->a, suite->b}) {
      Status st = incus::PushFile(*suite->client, incus::InstanceName(ws),
                                  {.path = "/tmp/busybox", .content = bytes.str(), .mode = 0755});
      if (!st.ok()) return st.ToString();
    }
    // B serves TCP 3001.
    auto served = In(suite->b,
                     "mkdir -p /tmp/www && echo reached > /tmp/www/index.html && "
                     "/tmp/busybox httpd -p 0.0.0.0:3001 -h /tmp/www");
    if (served.code != 0) return "httpd in B: " + served.out;
    return "";
  }

  void SetUp() override {
    ASSERT_NE(testing_env::EngineTestProject(), "") << testing_env::kNoProject;
    if (suite == nullptr) {
      GTEST_SKIP() << "no engine or no image " << SourceImage()
                   << " (build it with `rockpool image build`, or set ROCKPOOL_TEST_IMAGE)";
    }
    ASSERT_EQ(setup_error_, "");
  }

  // Runs `command` with busybox sh in workspace `ws`.
  static Shell In(const std::string& ws, const std::string& command) {
    auto r = suite->runtime->Exec(ws, {"/tmp/busybox", "sh", "-c", command});
    if (!r.ok()) return {-1, r.status().ToString()};
    return {r->exit_code, r->out + r->err};
  }
  // True when an HTTP GET from `ws` to ip:port answers "reached" within 3 s.
  static bool Reaches(const std::string& ws, const std::string& ip, int port) {
    Shell r = In(ws, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | /tmp/busybox nc -w 3 " + ip + " " +
                         std::to_string(port));
    return r.code == 0 && r.out.find("reached") != std::string::npos;
  }
  // Opens a TCP connection (or sends its SYNs) from `ws` to ip:port, ignoring the outcome.
  static void Knock(const std::string& ws, const std::string& ip, int port) {
    In(ws, "/tmp/busybox nc -w 1 " + ip + " " + std::to_string(port) + " </dev/null");
  }
  // Packets the namespace has seen to `port`.
  static int Seen(int port) {
    auto n = suite->net.PacketsTo(port);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }
  // Waits up to 3 s for `probe` to hold: a packet's arrival.
  static bool Arrives(const std::function<bool()>& probe) {
    return itest::PollUntil(probe, std::chrono::seconds(3));
  }
  static void RouteThroughGateway(bool on) {
    if (on) {
      ASSERT_EQ(
          In(suite->a, "ip route replace " + suite->b_ip + "/32 via " + suite->net.gateway()).code,
          0);
      ASSERT_EQ(
          In(suite->b, "ip route replace " + suite->a_ip + "/32 via " + suite->net.gateway()).code,
          0);
    } else {
      In(suite->a, "ip route del " + suite->b_ip + "/32");
      In(suite->b, "ip route del " + suite->a_ip + "/32");
    }
  }
  static void WithFirewall() {
    auto ensured = suite->firewall->Ensure();
    ASSERT_TRUE(ensured.ok()) << ensured.status().ToString();
  }
  static void WithoutFirewall() {
    Host("nft delete table inet " + FirewallTableName(suite->net.name()) + " >/dev/null 2>&1");
  }

  static std::string setup_error_;
};

std::string IsolationTest::setup_error_;

TEST_F(IsolationTest, WithoutTheHostFirewallTheseAttacksWork) {
  WithoutFirewall();
  HostServer host;
  EXPECT_TRUE(Reaches(suite->a, suite->net.gateway(), host.port())) << "host service";
  EXPECT_TRUE(Reaches(suite->a, TestNetwork::kMetadata, TestNetwork::kServerPort));
  EXPECT_TRUE(Reaches(suite->a, TestNetwork::kPrivate, TestNetwork::kServerPort));
  // Hairpin: A and B reach each other through the gateway (each routes the other there, as
  // the bridge refuses them a direct path).
  RouteThroughGateway(true);
  EXPECT_TRUE(Reaches(suite->a, suite->b_ip, 3001)) << "A -> gateway -> B";
  RouteThroughGateway(false);
}

TEST_F(IsolationTest, FirewallChecksInPlaceAfterEnsureAndRestoresAHandEdit) {
  WithoutFirewall();
  auto missing = suite->firewall->Check();
  ASSERT_TRUE(missing.ok()) << missing.status().ToString();
  EXPECT_FALSE(missing->in_place);
  auto installed = suite->firewall->Ensure();
  ASSERT_TRUE(installed.ok()) << installed.status().ToString();
  EXPECT_TRUE(*installed);
  auto check = suite->firewall->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->in_place) << check->detail;  // nft lists it exactly as rendered
  // Someone deletes a rule by hand.
  const std::string table = FirewallTableName(suite->net.name());
  Shell handle = Host("nft -a list chain inet " + table + " forward | grep 'oifname \"" +
                      suite->net.name() + "\" drop' | grep -v iifname | sed 's/.*handle //'");
  ASSERT_EQ(Host("nft delete rule inet " + table + " forward handle " + handle.out).code, 0);
  auto drifted = suite->firewall->Check();
  ASSERT_TRUE(drifted.ok());
  EXPECT_FALSE(drifted->in_place);
  auto restored = suite->firewall->Ensure();
  ASSERT_TRUE(restored.ok());
  EXPECT_TRUE(*restored);
  EXPECT_TRUE(suite->firewall->Check()->in_place);
}

TEST_F(IsolationTest, WorkspacesCannotReachEachOther) {
  WithFirewall();
  Shell host = Host("curl -s -m 3 http://" + suite->b_ip + ":3001/");
  EXPECT_THAT(host.out, HasSubstr("reached")) << "B serves, and the host reaches it";
  EXPECT_FALSE(Reaches(suite->a, suite->b_ip, 3001)) << "A -> B on the bridge";
  RouteThroughGateway(true);
  EXPECT_FALSE(Reaches(suite->a, suite->b_ip, 3001)) << "A -> gateway -> B";
  RouteThroughGateway(false);
}

TEST_F(IsolationTest, WorkspacesReachOnlyDhcpAndDnsOnTheHost) {
  WithFirewall();
  HostServer host;
  EXPECT_FALSE(Reaches(suite->a, suite->net.gateway(), host.port()));
  EXPECT_EQ(host.connections(), 0);
  // DNS on the gateway answers (dnsmasq knows B by its instance name).
  Shell dns = In(suite->a, "/tmp/busybox nslookup " + incus::InstanceName(suite->b) + " " +
                               suite->net.gateway());
  EXPECT_EQ(dns.code, 0) << dns.out;
  EXPECT_THAT(dns.out, HasSubstr(suite->b_ip));
  // A DHCP exchange completes (the lease is not applied: the script does nothing).
  Shell dhcp = In(suite->a,
                  "printf '#!/tmp/busybox sh\\nexit 0\\n' > /tmp/noop && chmod +x /tmp/noop && "
                  "/tmp/busybox udhcpc -n -q -f -t 3 -T 1 -i eth0 -s /tmp/noop 2>&1");
  EXPECT_EQ(dhcp.code, 0) << dhcp.out;
  EXPECT_THAT(dhcp.out, HasSubstr("obtained"));
}

TEST_F(IsolationTest, MetadataAndPrivateNetworksAreRefusedAndTheInternetIsNot) {
  WithFirewall();
  EXPECT_FALSE(Reaches(suite->a, TestNetwork::kMetadata, TestNetwork::kServerPort));
  EXPECT_FALSE(Reaches(suite->a, TestNetwork::kPrivate, TestNetwork::kServerPort));
  EXPECT_TRUE(Reaches(suite->a, TestNetwork::kInternet, TestNetwork::kServerPort));
}

TEST_F(IsolationTest, SpoofedAddressesNeverLeaveTheWorkspace) {
  WithFirewall();
  const std::string to = TestNetwork::kInternet;
  const std::string gw = suite->net.gateway();
  // Control: A's own addresses get through.
  const int honest = Seen(9001);
  Knock(suite->a, to, 9001);
  EXPECT_TRUE(Arrives([&] { return Seen(9001) > honest; }));
  // B's address as the source.
  ASSERT_EQ(In(suite->a, "ip addr add " + suite->b_ip + "/32 dev eth0 && ip route replace " + to +
                             "/32 via " + gw + " src " + suite->b_ip)
                .code,
            0);
  const int spoofed_ip = Seen(9002);
  Knock(suite->a, to, 9002);
  EXPECT_FALSE(Arrives([&] { return Seen(9002) > spoofed_ip; })) << "sent as B's IP";
  In(suite->a, "ip route del " + to + "/32; ip addr del " + suite->b_ip + "/32 dev eth0");
  // Another MAC address, with A's own IP.
  Shell mac = In(suite->a, "cat /sys/class/net/eth0/address");
  ASSERT_EQ(In(suite->a, "ip link set eth0 address 02:00:5e:10:00:01").code, 0);
  const int spoofed_mac = Seen(9003);
  Knock(suite->a, to, 9003);
  EXPECT_FALSE(Arrives([&] { return Seen(9003) > spoofed_mac; })) << "sent from another MAC";
  ASSERT_EQ(In(suite->a, "ip link set eth0 address " + mac.out).code, 0);
  const int again = Seen(9001);
  Knock(suite->a, to, 9001);  // and A gets through again with its own MAC back
  EXPECT_TRUE(Arrives([&] { return Seen(9001) > again; }));
}

TEST_F(IsolationTest, EgressOffRefusesOutboundButKeepsDns) {
  auto off = MakeFirewallPolicy(suite->net.name(), suite->net.gateway() + "/24", "off", "");
  ASSERT_TRUE(off.ok());
  NftFirewall closed(*suite->runner, *off);
  auto ensured = closed.Ensure();
  ASSERT_TRUE(ensured.ok()) << ensured.status().ToString();
  EXPECT_FALSE(Reaches(suite->a, TestNetwork::kInternet, TestNetwork::kServerPort));
  Shell dns = In(suite->a, "/tmp/busybox nslookup " + incus::InstanceName(suite->b) + " " +
                               suite->net.gateway());
  EXPECT_EQ(dns.code, 0) << dns.out;
  WithFirewall();  // back to egress on: the table is replaced, and outbound works again
  EXPECT_TRUE(Reaches(suite->a, TestNetwork::kInternet, TestNetwork::kServerPort));
}

TEST_F(IsolationTest, EachWorkspaceHasItsOwnIdRangeAndNoDevLxd) {
  auto a = incus::GetInstance(*suite->client, incus::InstanceName(suite->a), false);
  auto b = incus::GetInstance(*suite->client, incus::InstanceName(suite->b), false);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->Label("security.idmap.isolated"), "true");
  EXPECT_NE(a->Label("volatile.idmap.base"), "");
  EXPECT_NE(a->Label("volatile.idmap.base"), b->Label("volatile.idmap.base"));
  EXPECT_NE(In(suite->a, "test -e /dev/lxd/sock").code, 0);
  // The same root in A and B is a different host uid.
  Shell a_uid = Host("stat -c %u /proc/$(lxc info " + incus::InstanceName(suite->a) +
                     " | awk '/^PID:/{print $2}')/root/");
  Shell b_uid = Host("stat -c %u /proc/$(lxc info " + incus::InstanceName(suite->b) +
                     " | awk '/^PID:/{print $2}')/root/");
  EXPECT_NE(a_uid.out, b_uid.out);
}

}  // namespace
}  // namespace rockpool::nettest
