// The control plane on its root-only unix socket: file modes, stale and live sockets, and a
// peer that is not root (a child process that drops to uid 65534, "nobody").
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "api/fake_workspace_service.h"
#include "api/test_server.h"
#include "api/unix_socket.h"
#include "store/temp_dir.h"

namespace rockpool::api {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr uid_t kNobody = 65534;

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

ApiOptions OnSocket(const std::string& path) {
  ApiOptions o;
  o.unix_socket = path;
  o.unix_socket_peer_uid = geteuid();
  return o;
}

sockaddr_un Address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  return addr;
}

struct PeerResult {
  int connect_errno = -1;
  std::string response;
};

// Connects to `path` from a child process running as uid/gid 65534 and sends a health check.
PeerResult ConnectAsNobody(const std::string& path) {
  const sockaddr_un addr = Address(path);
  const std::string request = "GET /api/health HTTP/1.1\r\nHost: rockpool\r\n\r\n";
  int out[2];
  if (pipe(out) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {  // only async-signal-safe calls from here on
    close(out[0]);
    if (setgroups(0, nullptr) != 0 || setgid(kNobody) != 0 || setuid(kNobody) != 0) _exit(2);
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    timeval tv{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int err = connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 ? 0 : errno;
    if (write(out[1], &err, sizeof err) != sizeof err) _exit(3);
    if (err == 0 && write(fd, request.data(), request.size()) > 0) {
      char buf[4096];
      ssize_t n;
      while ((n = read(fd, buf, sizeof buf)) > 0) {
        if (write(out[1], buf, static_cast<size_t>(n)) != n) break;
      }
    }
    _exit(0);
  }
  close(out[1]);
  PeerResult result;
  int err = -1;
  if (read(out[0], &err, sizeof err) == sizeof err) result.connect_errno = err;
  char buf[4096];
  ssize_t n;
  while ((n = read(out[0], buf, sizeof buf)) > 0)
    result.response.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return result;
}

TEST(ServerUnixSocketTest, ServesOnASocketOnlyItsOwnerMayOpen) {
  TempDir dir;
  const std::string path = dir.File("state/run/control.sock");
  FakeWorkspaceService service;
  TestServer server(service, OnSocket(path));
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ModeOf(dir.File("state")), 0700u) << "missing folders are created root-only";
  EXPECT_EQ(ModeOf(dir.File("state/run")), 0700u);
  EXPECT_EQ(server.port(), 0);
  auto r = server.NewClient()->Send(Request("GET", "/api/workspaces"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server.NewAnonymousClient()->Send(Request("GET", "/api/workspaces"))->status, 401)
      << "the socket's peer check comes on top of authentication, not instead of it";
}

TEST(ServerUnixSocketTest, LocalSocketServesRootWithoutCredentialsAndTheProxySocketDoesNot) {
  TempDir dir;
  ApiOptions o = OnSocket(dir.File("control.sock"));
  o.local_socket = dir.File("local.sock");
  FakeWorkspaceService service;
  TestServer server(service, o);
  EXPECT_EQ(ModeOf(dir.File("local.sock")), 0600u);
  CurlHttpClient local(HttpEndpoint::Unix(dir.File("local.sock")));
  auto listed = local.Send(Request("GET", "/api/workspaces"));
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(listed->status, 200) << listed->body;
  // The socket the proxy dials still wants credentials from the same caller.
  EXPECT_EQ(server.NewAnonymousClient()->Send(Request("GET", "/api/workspaces"))->status, 401);
  // Forward auth judges the browser's credentials, whichever socket asks.
  auto authorize = local.Send(Request("GET", "/internal/authorize"));
  ASSERT_TRUE(authorize.ok());
  EXPECT_EQ(authorize->status, 401);
  server.Shutdown();
  EXPECT_FALSE(std::filesystem::exists(dir.File("local.sock"))) << "removed on stop";
}

TEST(ServerUnixSocketTest, NonRootPeerIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to start a peer as another uid";
  TempDir dir;
  const std::string path = dir.File("state/control.sock");
  FakeWorkspaceService service;
  TestServer server(service, OnSocket(path));

  // As set up: the state folder is 0700, so nobody cannot even reach the socket.
  EXPECT_EQ(ConnectAsNobody(path).connect_errno, EACCES);
  // With the folders opened up, the socket's own mode (0600) still keeps nobody out.
  ASSERT_EQ(chmod(dir.path().c_str(), 0711), 0);
  ASSERT_EQ(chmod(dir.File("state").c_str(), 0711), 0);
  EXPECT_EQ(ConnectAsNobody(path).connect_errno, EACCES);
  // And with the socket itself opened up by mistake, SO_PEERCRED refuses the peer.
  ASSERT_EQ(chmod(path.c_str(), 0666), 0);
  PeerResult peer = ConnectAsNobody(path);
  ASSERT_EQ(peer.connect_errno, 0);
  EXPECT_THAT(peer.response, StartsWith("HTTP/1.1 403"));
  EXPECT_THAT(peer.response,
              HasSubstr("the control socket serves uid 0 only; uid 65534 is refused"));
  EXPECT_THAT(service.calls(), ::testing::IsEmpty());
}

TEST(ServerUnixSocketTest, ReplacesAStaleSocketFile) {
  TempDir dir;
  const std::string path = dir.File("control.sock");
  {  // what a crashed server leaves behind: the file, no listener
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    const sockaddr_un addr = Address(path);
    ASSERT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
    close(fd);
  }
  FakeWorkspaceService service;
  TestServer server(service, OnSocket(path));
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(server.NewClient()->Send(Request("GET", "/api/health"))->status, 200);
}

TEST(ServerUnixSocketTest, RefusesASocketAnotherServerIsServing) {
  TempDir dir;
  const std::string path = dir.File("control.sock");
  FakeWorkspaceService service;
  TestServer first(service, OnSocket(path));
  Status s = PrepareUnixSocketPath(path);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("another control plane is serving there"));
  EXPECT_EQ(first.NewClient()->Send(Request("GET", "/api/health"))->status, 200)
      << "the first server's socket is left alone";
}

TEST(ServerUnixSocketTest, RefusesAPathThatIsNotASocket) {
  TempDir dir;
  const std::string path = dir.File("control.sock");
  std::ofstream(path) << "data";
  EXPECT_THAT(PrepareUnixSocketPath(path).message(), HasSubstr("exists and is not a socket"));
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_THAT(PrepareUnixSocketPath(dir.File(std::string(120, 'x'))).message(),
              HasSubstr("bytes long"));
}

TEST(ServerUnixSocketTest, RemovesItsSocketWhenItStops) {
  TempDir dir;
  const std::string path = dir.File("control.sock");
  FakeWorkspaceService service;
  TestServer server(service, OnSocket(path));
  ASSERT_TRUE(std::filesystem::exists(path));
  server.Shutdown();
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace rockpool::api
