#include "sys/ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>

namespace rockpool {
namespace {

TEST(PortsTest, FindsThisProcessListeningOnAnEphemeralPort) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);

  auto owner = FindListener(port);
  ASSERT_TRUE(owner.has_value());
  EXPECT_EQ(owner->pid, getpid());
  EXPECT_NE(DescribeListener(port, *owner).find("(pid " + std::to_string(getpid()) + ")"),
            std::string::npos);
  close(fd);
  EXPECT_FALSE(FindListener(port).has_value());
}

// A loopback listener on an ephemeral port: {fd, port}.
std::pair<int, int> Listen() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  listen(fd, 1);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return {fd, ntohs(addr.sin_port)};
}

TEST(PortsTest, FindsEveryListenerOfARangeWithItsProcess) {
  auto [a, port_a] = Listen();
  auto [b, port_b] = Listen();
  const int first = std::min(port_a, port_b);
  const int last = std::max(port_a, port_b);
  auto owners = FindListeners(first, last);
  for (int port : {port_a, port_b}) {
    ASSERT_TRUE(owners.contains(port)) << port;
    EXPECT_EQ(owners[port].pid, getpid());
    EXPECT_FALSE(owners[port].program.empty());
  }
  for (const auto& [port, owner] : owners) {
    EXPECT_GE(port, first);
    EXPECT_LE(port, last);
  }
  close(a);
  close(b);
  auto after = FindListeners(first, last);
  EXPECT_FALSE(after.contains(port_a));
  EXPECT_FALSE(after.contains(port_b));
}

}  // namespace
}  // namespace rockpool
