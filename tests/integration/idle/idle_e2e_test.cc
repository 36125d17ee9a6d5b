// Idle auto-stop through the whole system: a private Rockpool on real LXD, Caddy and
// code-server, with a short idle timeout per workspace. Both directions: a workspace nobody
// uses is stopped with the reason; one with an open IDE WebSocket (silent) or whose forwarded
// port keeps being asked is not, and stops once that ends. (The whole workbench in a browser:
// ide_keeps_running.test.mjs.)
//
// Passes with the default check interval (15 s); ROCKPOOL_IDLE_CHECK_INTERVAL=2s when the
// private Rockpool starts makes it quicker. A stop that does not come within a minute of the
// timeout fails the test.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "e2e_support.h"
#include "http/encoding.h"
#include "store/clock.h"

namespace rockpool::e2e {
namespace {

using std::chrono::seconds;

constexpr int64_t kTimeout = 20;  // seconds, the workspaces' idle timeout here
// A stop is expected within this much of the timeout: check interval + Caddy's upstream
// keep-alive (10 s) + the stop job, with room for a loaded machine.
constexpr auto kStopWithin = seconds(60);

class IdleTest : public ControlPlaneTest {
 protected:
  // Creates a workspace with the short timeout and waits until its IDE answers.
  Workspace CreateRunning(const std::string& name) {
    auto created = api().Create(name, "", {}, kTimeout);
    EXPECT_TRUE(created.ok()) << created.status().message();
    EXPECT_EQ(created.ok() ? created->idle_timeout_seconds : -1, kTimeout);
    auto running = WaitForStatus(name, WorkspaceStatus::kRunning, seconds(300));
    EXPECT_TRUE(running.ok() && running->status == WorkspaceStatus::kRunning)
        << (running.ok() ? running->status_reason.value_or("") : running.status().message()) << "\n"
        << ServeLogTail();
    EXPECT_TRUE(WaitUntil([&] { return IdeHealth(name) == 200; }, seconds(60)));
    return running.ok() ? *running : Workspace{};
  }
};

TEST_F(IdleTest, AWorkspaceNobodyUsesIsStoppedWithTheReason) {
  const std::string name = Track(UniqueName());
  CreateRunning(name);
  const auto last_request = Clock::now();  // the IDE health check just above
  auto ws = api().Get(name);
  ASSERT_TRUE(ws.ok());
  ASSERT_TRUE(ws->last_activity_at.has_value());
  ASSERT_TRUE(ws->idle_stop_at.has_value()) << "a running workspace with a timeout shows its stop";
  EXPECT_EQ(*ParseTime(*ws->idle_stop_at) - *ParseTime(*ws->last_activity_at), seconds(kTimeout));

  auto stopped = WaitForStatus(name, WorkspaceStatus::kStopped, seconds(kTimeout) + kStopWithin);
  ASSERT_TRUE(stopped.ok()) << stopped.status().message() << "\n" << ServeLogTail();
  ASSERT_EQ(stopped->status, WorkspaceStatus::kStopped) << stopped->status_reason.value_or("");
  const double late =
      std::chrono::duration<double>(Clock::now() - last_request - seconds(kTimeout)).count();
  std::printf("[ measure ] %s stopped %.1f s after its idle timeout\n", name.c_str(), late);
  EXPECT_EQ(stopped->status_reason, "stopped after 20 s without activity");
  EXPECT_EQ(stopped->idle_stop_at, std::nullopt);
  EXPECT_GE(late, -2.0) << "stopped before the timeout had passed";
  EXPECT_NE(IdeHealth(name), 200) << "the IDE still answers after the idle stop";
}

// A WebSocket to the workspace's code-server through Caddy, as the workbench opens it, held
// open without a message sent: code-server's own keep-alives are all that flows. The socket is
// closed when the object goes.
class SilentIdeWebSocket {
 public:
  SilentIdeWebSocket(const std::string& name, const client::Credentials& creds) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(WorkspacePort()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
    const std::string request =
        "GET /workspace/" + name + "/?reconnectionToken=" + UniqueName() +
        "&reconnection=false&skipWebSocketFrames=false HTTP/1.1\r\n"
        "Host: localhost:" +
        std::to_string(WorkspacePort()) +
        "\r\n"
        "Origin: http://localhost:" +
        std::to_string(WorkspacePort()) +
        "\r\n"
        "Authorization: Basic " +
        Base64(creds.username + ":" + creds.password) +
        "\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    if (::send(fd_, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) {
      return;
    }
    char buf[1024];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) status_line_ = std::string(buf, static_cast<size_t>(n)).substr(0, 32);
  }
  ~SilentIdeWebSocket() { Close(); }
  bool upgraded() const { return status_line_.starts_with("HTTP/1.1 101"); }
  const std::string& status_line() const { return status_line_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  std::string status_line_;
};

TEST_F(IdleTest, AnOpenIdeWebSocketKeepsItRunningEvenWhenNothingIsSent) {
  const std::string name = Track(UniqueName());
  CreateRunning(name);
  SilentIdeWebSocket ide(name, creds());
  ASSERT_TRUE(ide.upgraded()) << "code-server's WebSocket through Caddy: " << ide.status_line();

  const auto until = Clock::now() + seconds(3 * kTimeout);
  while (Clock::now() < until) {
    auto ws = api().Get(name);
    ASSERT_TRUE(ws.ok()) << ws.status().message();
    ASSERT_EQ(ws->status, WorkspaceStatus::kRunning)
        << "stopped with its IDE open: " << ws->status_reason.value_or("");
    std::this_thread::sleep_for(seconds(2));  // the pace of the checks, not a wait for a state
  }

  ide.Close();  // the tab goes
  auto stopped = WaitForStatus(name, WorkspaceStatus::kStopped, seconds(kTimeout) + kStopWithin);
  ASSERT_TRUE(stopped.ok()) << stopped.status().message() << "\n" << ServeLogTail();
  EXPECT_EQ(stopped->status, WorkspaceStatus::kStopped);
  EXPECT_EQ(stopped->status_reason, "stopped after 20 s without activity");
}

TEST_F(IdleTest, AForwardedPortUnderPeriodicRequestsKeepsItRunning) {
  const std::string name = Track(UniqueName());
  CreateRunning(name);
  // code-server itself listens on 8080 inside the workspace: forwarded, it is a port that
  // answers without starting anything.
  auto added = api().AddPort(name, 8080, "ide-again");
  ASSERT_TRUE(added.ok()) << added.status().message();
  const std::string health = "/workspace/" + name + "/port/8080/healthz";
  ASSERT_TRUE(WaitUntil([&] { return Http(WorkspaceUrl(), "GET", health, creds()).status == 200; },
                        seconds(30)));

  // Three timeouts' worth of requests, one every 5 s; only the port is asked.
  const auto until = Clock::now() + seconds(3 * kTimeout);
  while (Clock::now() < until) {
    HttpResponse r = Http(WorkspaceUrl(), "GET", health, creds());
    ASSERT_EQ(r.status, 200) << r.body << "\n" << ServeLogTail();
    auto ws = api().Get(name);
    ASSERT_TRUE(ws.ok()) << ws.status().message();
    ASSERT_EQ(ws->status, WorkspaceStatus::kRunning)
        << "stopped although its port was in use: " << ws->status_reason.value_or("");
    std::this_thread::sleep_for(seconds(5));  // the pace of the traffic, not a wait for a state
  }

  // The requests end: now it goes.
  auto stopped = WaitForStatus(name, WorkspaceStatus::kStopped, seconds(kTimeout) + kStopWithin);
  ASSERT_TRUE(stopped.ok()) << stopped.status().message() << "\n" << ServeLogTail();
  EXPECT_EQ(stopped->status, WorkspaceStatus::kStopped);
  EXPECT_EQ(stopped->status_reason, "stopped after 20 s without activity");
}

}  // namespace
}  // namespace rockpool::e2e
