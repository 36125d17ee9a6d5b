#include "security_support.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace rockpool::security {
namespace {

// Records each request's headers; answers "seen". Upgrades get a 101 and one echoed frame.
constexpr char kRecorder[] = R"JS(
const http = require('http');
const fs = require('fs');
const [port, log] = [Number(process.argv[2]), process.argv[3]];
const record = (req) => fs.appendFileSync(log, JSON.stringify(
    {url: req.url, headers: req.headers}) + '\n');
const server = http.createServer((req, res) => {
  record(req);
  res.writeHead(200, {'Content-Type': 'text/plain'});
  res.end('seen');
});
server.on('upgrade', (req, socket) => {
  record(req);
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n' +
               'Connection: Upgrade\r\n\r\n');
  socket.on('error', () => {});
});
server.listen(port);
)JS";

std::string Instance(const std::string& name) { return "rp-" + name; }

}  // namespace

Result<ProcessResult> InWorkspace(const std::string& name, const std::string& shell) {
  return e2e::RunCommand({"lxc", "exec", Instance(name), "--user", "1000", "--group", "1000",
                          "--env", "HOME=/home/admin", "--cwd", "/home/admin", "--", "sh", "-c",
                          shell});
}

Result<std::string> AddressOf(const std::string& name) {
  RP_ASSIGN_OR_RETURN(
      ProcessResult r,
      InWorkspace(name, "ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1"));
  std::string address = r.output.substr(0, r.output.find('\n'));
  if (r.exit_code != 0 || address.empty()) {
    return Status::Internal("no IPv4 address on eth0 of " + name + ": " + r.output);
  }
  return address;
}

Result<std::string> GatewayOf(const std::string& name) {
  RP_ASSIGN_OR_RETURN(ProcessResult r,
                      InWorkspace(name, "ip -4 route show default | awk '{print $3}'"));
  std::string gateway = r.output.substr(0, r.output.find('\n'));
  if (r.exit_code != 0 || gateway.empty()) {
    return Status::Internal("no default route in " + name + ": " + r.output);
  }
  return gateway;
}

Status StartHeaderRecorder(const std::string& name, int port, const std::string& log) {
  const std::string local = ::testing::TempDir() + "rockpool-recorder-" + std::to_string(getpid()) +
                            "-" + std::to_string(port) + ".js";
  std::ofstream(local) << kRecorder;
  auto pushed = e2e::RunCommand({"lxc", "file", "push", "--uid", "1000", "--gid", "1000", "--mode",
                                 "0644", local, Instance(name) + "/tmp/recorder.js"});
  std::filesystem::remove(local);
  if (!pushed.ok()) return pushed.status();
  if (pushed->exit_code != 0) return Status::Internal("lxc file push: " + pushed->output);
  RP_ASSIGN_OR_RETURN(ProcessResult started,
                      InWorkspace(name, "nohup node /tmp/recorder.js " + std::to_string(port) +
                                            " " + log + " </dev/null >/dev/null 2>&1 &"));
  if (started.exit_code != 0) return Status::Internal("start recorder: " + started.output);
  return WaitListening(name, port);
}

Status WaitListening(const std::string& name, int port) {
  bool up = e2e::WaitUntil(
      [&] {
        auto r = InWorkspace(
            name, "curl -s -o /dev/null -m 2 http://127.0.0.1:" + std::to_string(port) + "/");
        return r.ok() && r->exit_code == 0;
      },
      std::chrono::seconds(30));
  if (up) return Status::Ok();
  return Status::DeadlineExceeded("nothing answers on port " + std::to_string(port) + " in " +
                                  name);
}

Result<ProcessResult> AsNobody(std::vector<std::string> argv) {
  std::vector<std::string> full = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                   "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  return e2e::RunCommand(std::move(full));
}

std::string CurlStatus(std::vector<std::string> args) {
  std::vector<std::string> argv = {"curl", "-s",           "-o", "/dev/null",
                                   "-w",   "%{http_code}", "-m", "10"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = e2e::RunCommand(std::move(argv));
  if (!r.ok()) return "000";
  return r->output.substr(0, 3);
}

}  // namespace rockpool::security
