// The seed's lifecycle through the public API and Caddy, against real LXD: create, reach the
// IDE, forward a port (HTTP and WebSocket), the port limit, stop, start, delete.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "e2e_support.h"
#include "websocket_client.h"

namespace rockpool::e2e {
namespace {

using std::chrono::seconds;

// A tiny HTTP server with a hand-written WebSocket echo, run by node inside the workspace.
constexpr char kServerScript[] = R"JS(
const http = require('http');
const crypto = require('crypto');
const token = process.argv[2] || 'none';
const server = http.createServer((req, res) => {
  if (req.url === '/hello') {
    res.writeHead(200, {'Content-Type': 'text/plain'});
    res.end('hello from ' + token);
    return;
  }
  res.writeHead(404);
  res.end('not here: ' + req.url);
});
server.on('upgrade', (req, socket) => {
  const accept = crypto.createHash('sha1')
      .update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
      .digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n' +
               'Connection: Upgrade\r\nSec-WebSocket-Accept: ' + accept + '\r\n\r\n');
  let buf = Buffer.alloc(0);
  socket.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2) {
      const op = buf[0] & 0x0f;
      const masked = (buf[1] & 0x80) !== 0;
      let len = buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        socket.destroy();
        return;
      }
      const need = off + (masked ? 4 : 0) + len;
      if (buf.length < need) return;
      const payload = Buffer.from(buf.subarray(off + (masked ? 4 : 0), need));
      if (masked) for (let i = 0; i < len; i++) payload[i] ^= buf[off + (i % 4)];
      buf = buf.subarray(need);
      if (op === 8) {
        socket.end(Buffer.from([0x88, 0]));
        return;
      }
      if (op === 1 || op === 2) {
        const head = len < 126 ? Buffer.from([0x80 | op, len])
                               : Buffer.from([0x80 | op, 126, len >> 8, len & 255]);
        socket.write(Buffer.concat([head, payload]));
      }
    }
  });
  socket.on('error', () => {});
});
server.listen(3000);
)JS";

class LifecycleTest : public ControlPlaneTest {};

Status StartServerIn(const std::string& instance, const std::string& token) {
  const std::string local =
      ::testing::TempDir() + "rockpool-e2e-srv-" + std::to_string(getpid()) + ".js";
  std::ofstream(local) << kServerScript;
  auto pushed =
      RunCommand({"lxc", "file", "push", "--mode", "0644", local, instance + "/tmp/srv.js"});
  std::filesystem::remove(local);
  if (!pushed.ok()) return pushed.status();
  if (pushed->exit_code != 0) return Status::Internal("lxc file push: " + pushed->output);
  return LxcExec(instance, "su admin -c 'nohup node /tmp/srv.js " + token +
                               " </dev/null >/tmp/srv.log 2>&1 &'");
}

std::string PortsBody(int port) {
  return R"({"port":)" + std::to_string(port) + R"(,"label":"e2e )" + std::to_string(port) +
         R"("})";
}

TEST_F(LifecycleTest, CreatePortsStopStartDeleteThroughTheProxy) {
  const std::string name = Track(UniqueName());
  const std::string instance = "rp-" + name;
  const std::string port_base = "/workspace/" + name + "/port/3000";

  // 1. Create, then running: the IDE answers through Caddy.
  auto t0 = Clock::now();
  auto created = api().Create(name, "");
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ(created->status, WorkspaceStatus::kCreating);
  auto running = WaitForStatus(name, WorkspaceStatus::kRunning, seconds(300));
  ASSERT_TRUE(running.ok()) << running.status().message() << "\n" << ServeLogTail();
  ASSERT_EQ(running->status, WorkspaceStatus::kRunning)
      << running->status_reason.value_or("") << "\n"
      << ServeLogTail();
  ASSERT_TRUE(WaitUntil([&] { return IdeHealth(name) == 200; }, seconds(60)))
      << "healthz: " << IdeHealth(name);
  std::printf("[ measure ] %s create->running+IDE 200: %.1f s\n", name.c_str(),
              std::chrono::duration<double>(Clock::now() - t0).count());

  // 2. A server on port 3000, forwarded: HTTP and WebSocket through the workspace port.
  const std::string token = "token-" + name;
  ASSERT_TRUE(StartServerIn(instance, token).ok());
  const std::string ports = "/api/workspaces/" + running->id + "/ports";
  HttpResponse added = Http(ControlUrl(), "POST", ports, creds(), PortsBody(3000));
  ASSERT_EQ(added.status, 201) << added.body;
  HttpResponse hello;
  EXPECT_TRUE(WaitUntil(
      [&] {
        hello = Http(WorkspaceUrl(), "GET", port_base + "/hello", creds());
        return hello.status == 200;
      },
      seconds(30)))
      << hello.status << " " << hello.body;
  EXPECT_EQ(hello.body, "hello from " + token);
  auto echo =
      WebSocketEcho("127.0.0.1", WorkspacePort(), port_base + "/ws", creds(), "ping " + name);
  ASSERT_TRUE(echo.ok()) << echo.status().message();
  EXPECT_EQ(*echo, "ping " + name);

  auto listed = api().ListPorts(name);
  ASSERT_TRUE(listed.ok()) << listed.status().message();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].port, 3000);

  // 3. At most five ports; a sixth is refused.
  for (int p = 3001; p <= 3004; ++p) {
    HttpResponse more = Http(ControlUrl(), "POST", ports, creds(), PortsBody(p));
    EXPECT_EQ(more.status, 201) << p << ": " << more.body;
  }
  HttpResponse sixth = Http(ControlUrl(), "POST", ports, creds(), PortsBody(3005));
  EXPECT_EQ(sixth.status, 409) << sixth.body;
  listed = api().ListPorts(name);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 5u);

  // 4. A running workspace cannot be deleted.
  HttpResponse del_running = Http(ControlUrl(), "DELETE", "/api/workspaces/" + name, creds());
  EXPECT_EQ(del_running.status, 409) << del_running.body;

  // 5. Stop: the port no longer answers, its rows are gone, new ports are refused.
  ASSERT_TRUE(api().Stop(name).ok());
  auto stopped = WaitForStatus(name, WorkspaceStatus::kStopped, seconds(120));
  ASSERT_TRUE(stopped.ok()) << stopped.status().message();
  ASSERT_EQ(stopped->status, WorkspaceStatus::kStopped) << stopped->status_reason.value_or("");
  EXPECT_NE(Http(WorkspaceUrl(), "GET", port_base + "/hello", creds()).status, 200);
  listed = api().ListPorts(name);
  ASSERT_TRUE(listed.ok()) << listed.status().message();
  EXPECT_TRUE(listed->empty()) << listed->size() << " port rows remain";
  HttpResponse port_stopped = Http(ControlUrl(), "POST", ports, creds(), PortsBody(3000));
  EXPECT_EQ(port_stopped.status, 409) << port_stopped.body;
  EXPECT_EQ(SocketFilesOf(name).size(), 0u) << "socket files of a stopped workspace remain";

  // 6. Start again.
  ASSERT_TRUE(api().Start(name).ok());
  running = WaitForStatus(name, WorkspaceStatus::kRunning, seconds(180));
  ASSERT_TRUE(running.ok()) << running.status().message();
  ASSERT_EQ(running->status, WorkspaceStatus::kRunning) << running->status_reason.value_or("");
  EXPECT_TRUE(WaitUntil([&] { return IdeHealth(name) == 200; }, seconds(60)));

  // 7. Delete from stopped: 404 afterwards, no instance, no socket files.
  ASSERT_TRUE(api().Stop(name).ok());
  stopped = WaitForStatus(name, WorkspaceStatus::kStopped, seconds(120));
  ASSERT_TRUE(stopped.ok() && stopped->status == WorkspaceStatus::kStopped);
  auto deleting = api().Delete(name);
  ASSERT_TRUE(deleting.ok()) << deleting.status().message();
  EXPECT_TRUE(WaitUntil(
      [&] { return Http(ControlUrl(), "GET", "/api/workspaces/" + name, creds()).status == 404; },
      seconds(120)));
  EXPECT_FALSE(InstanceExists(instance));
  EXPECT_TRUE(SocketFilesOf(name).empty());
}

}  // namespace
}  // namespace rockpool::e2e
