#include "runtime/tart/forwarder.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>

namespace rockpool::tart {
namespace {

// A TCP server on 127.0.0.1 that reads one request line, answers `reply` and closes.
class OneShotServer {
 public:
  explicit OneShotServer(std::string reply) : reply_(std::move(reply)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 4), 0);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      char buf[256];
      std::string got;
      while (got.find('\n') == std::string::npos) {
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        got.append(buf, static_cast<size_t>(n));
      }
      request_ = got;
      size_t off = 0;
      while (off < reply_.size()) {
        ssize_t n = ::write(c, reply_.data() + off, reply_.size() - off);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
      ::close(c);
    });
  }
  ~OneShotServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  const std::string& request() const { return request_; }

 private:
  std::string reply_;
  int fd_ = -1;
  int port_ = 0;
  std::string request_;
  std::thread thread_;
};

std::string Exchange(const std::string& path, const std::string& send) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "connect failed";
  }
  // MSG_NOSIGNAL: the forwarder may have closed already; that is an answer, not a signal.
  (void)!::send(fd, send.data(), send.size(), MSG_NOSIGNAL);
  std::string got;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) got.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return got;
}

class SocketForwarderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rp-fwd-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(SocketForwarderTest, RelaysBothWaysWholeAndSetsTheMode) {
  const std::string big(3 * 1024 * 1024 + 17, 'x');
  OneShotServer server(big);
  SocketForwarder forwarder;
  const std::string path = (dir_ / "ws.sock").string();
  ASSERT_TRUE(forwarder.Listen({.path = path, .host = "127.0.0.1", .port = server.port()}).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0660u);
  EXPECT_EQ(forwarder.Target(path), "127.0.0.1:" + std::to_string(server.port()));
  std::string got = Exchange(path, "GET / HTTP/1.0\n");
  EXPECT_EQ(got.size(), big.size()) << "every byte, then the close";
  EXPECT_EQ(server.request(), "GET / HTTP/1.0\n");
}

TEST_F(SocketForwarderTest, ReplacesAStaleFileAndCloseRemovesIt) {
  const std::string path = (dir_ / "ws.sock").string();
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    std::fclose(f);
  }
  SocketForwarder forwarder;
  ASSERT_TRUE(forwarder.Listen({.path = path, .host = "127.0.0.1", .port = 1}).ok());
  forwarder.Close(path);
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(forwarder.Target(path), "");
  forwarder.Close(path);  // twice is fine
}

TEST_F(SocketForwarderTest, RejectsWhatIsNotAnAddress) {
  SocketForwarder forwarder;
  Status s = forwarder.Listen({.path = (dir_ / "x.sock").string(), .host = "vm.local", .port = 80});
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("vm.local"), std::string::npos);
}

TEST_F(SocketForwarderTest, AClosedUpstreamClosesTheClient) {
  SocketForwarder forwarder;
  const std::string path = (dir_ / "ws.sock").string();
  // Port 1 on loopback: nothing listens, the connection is refused.
  ASSERT_TRUE(forwarder.Listen({.path = path, .host = "127.0.0.1", .port = 1}).ok());
  EXPECT_EQ(Exchange(path, "GET / HTTP/1.0\n"), "") << "closed, not hung";
}

}  // namespace
}  // namespace rockpool::tart
