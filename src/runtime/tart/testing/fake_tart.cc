// fake_tart: a stand-in for the `tart` command (cirruslabs/tart) on hosts that cannot run
// Tart, for the tests of TartRuntime. Test-only.
//
// State lives where tart keeps it: $TART_HOME (default ~/.tart), one folder per VM in
// vms/<name>/ holding config.json, disk.img and nvram.bin (VMStorageLocal.swift,
// VMDirectory.swift; a folder missing one of them is no VM). As in Tart, a VM runs while a
// process holds an fcntl write lock on its config.json (PIDLock.swift), and that process's pid
// is what `stop` signals.
//
// What it does instead of virtualising: each VM gets a loopback address 127.0.0.N (kept in
// config.json as "fakeAddress"; all of 127/8 reaches this host on Linux). `run` blocks while
// the VM runs and serves HTTP on that address, port 8080 (or $TART_FAKE_CODE_SERVER_PORT:
// a wildcard listener on the host's 8080 would take the connections), where /healthz answers
// 200 as code-server does. `ip` prints that address once the VM runs. `exec` runs nothing: it
// records the command (one JSON line {"argv": [...]} in vms/<name>/exec.log) and exits 0, so tests
// can read what would have run in the guest.
//
// Commands: create, clone, set, run, ip, stop, delete, list, exec, with the error texts and
// exit codes of the real tart (each names the Swift file it comes from). Output to stderr is
// "<message>\n" as Root.swift prints a RuntimeError; errors that are not RuntimeErrors go
// through ArgumentParser, printed as "Error: <message>".
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path Home() {
  const char* home = std::getenv("TART_HOME");
  if (home != nullptr && *home != '\0') return home;
  const char* user_home = std::getenv("HOME");
  return fs::path(user_home != nullptr ? user_home : "/") / ".tart";
}

fs::path VmDir(const std::string& name) { return Home() / "vms" / name; }

bool Initialized(const fs::path& dir) {
  return fs::exists(dir / "config.json") && fs::exists(dir / "disk.img") &&
         fs::exists(dir / "nvram.bin");
}

// Exit codes of RuntimeError (VMStorageHelper.swift, `HasExitCode`): 2 for VMDoesNotExist,
// VMNotRunning and VMAlreadyRunning, 1 for the others.
[[noreturn]] void Fail(const std::string& message, int code) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::exit(code);
}

// VMStorageHelper.swift RuntimeError.VMDoesNotExist.
[[noreturn]] void NoSuchVm(const std::string& name) {
  Fail("the specified VM \"" + name + "\" does not exist", 2);
}

// ArgumentParser's usage errors (ValidationError): "Error: ..." and exit 64 (EX_USAGE).
[[noreturn]] void Usage(const std::string& message) { Fail("Error: " + message, 64); }

// VMStorageLocal.open -> VMDirectory.validate (VMDirectory.swift).
fs::path OpenVm(const std::string& name) {
  fs::path dir = VmDir(name);
  if (!fs::exists(dir)) NoSuchVm(name);
  if (!Initialized(dir)) {
    Fail("VM is missing some of its files (config.json, disk.img or nvram.bin)", 1);
  }
  return dir;
}

json ReadConfig(const fs::path& dir) {
  std::ifstream in(dir / "config.json");
  return json::parse(in, nullptr, false);
}

// Rewrites config.json in place: a new file would lose the running VM's lock on the old one.
void WriteConfig(const fs::path& dir, const json& config) {
  int fd = ::open((dir / "config.json").c_str(), O_WRONLY | O_TRUNC);
  if (fd < 0) Fail("cannot write " + (dir / "config.json").string(), 1);
  std::string text = config.dump(2);
  if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    Fail("cannot write " + (dir / "config.json").string(), 1);
  }
  ::close(fd);
}

// PIDLock.pid(): the pid holding the write lock on config.json, 0 when none.
pid_t LockHolder(const fs::path& dir) {
  int fd = ::open((dir / "config.json").c_str(), O_RDWR);
  if (fd < 0) return 0;
  struct flock fl {};
  fl.l_type = F_RDLCK;
  fl.l_whence = SEEK_SET;
  pid_t pid = 0;
  if (::fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK) pid = fl.l_pid;
  ::close(fd);
  return pid;
}

bool Running(const fs::path& dir) { return LockHolder(dir) != 0; }

// VMDirectory.State (VMDirectory.swift).
std::string State(const fs::path& dir) {
  if (Running(dir)) return "running";
  if (fs::exists(dir / "state.vzvmsave")) return "suspended";
  return "stopped";
}

std::vector<std::string> Args(int argc, char** argv, int from) {
  return std::vector<std::string>(argv + from, argv + argc);
}

// Splits `args` into --option values and positionals; `flags` take no value.
struct Parsed {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
};
Parsed Parse(const std::vector<std::string>& args, const std::set<std::string>& flags) {
  Parsed p;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.starts_with("--")) {
      auto eq = a.find('=');
      if (eq != std::string::npos) {
        p.options[a.substr(0, eq)] = a.substr(eq + 1);
      } else if (flags.contains(a)) {
        p.options[a] = "";
      } else if (i + 1 < args.size()) {
        p.options[a] = args[++i];
      } else {
        Usage("Missing value for '" + a + " <value>'");
      }
    } else {
      p.positional.push_back(a);
    }
  }
  return p;
}

// A free 127.0.0.N (N in 2..254) among the VMs' addresses.
std::string FreeAddress() {
  std::set<std::string> used;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(Home() / "vms", ec)) {
    json c = ReadConfig(entry.path());
    if (c.is_object() && c.contains("fakeAddress")) used.insert(c["fakeAddress"]);
  }
  for (int n = 2; n < 255; ++n) {
    std::string a = "127.0.0." + std::to_string(n);
    if (!used.contains(a)) return a;
  }
  Fail("fake tart: no free loopback address", 1);
}

// `tart create <name> [--linux]`: an empty VM (stands in for an image built with Packer).
int Create(const std::vector<std::string>& args) {
  Parsed p = Parse(args, {"--linux", "--from-ipsw"});
  if (p.positional.size() != 1) Usage("Missing expected argument '<name>'");
  fs::path dir = VmDir(p.positional[0]);
  if (Initialized(dir)) Fail("VM \"" + p.positional[0] + "\" already exists", 1);
  fs::create_directories(dir);
  json config = {{"version", 1},
                 {"os", p.options.contains("--linux") ? "linux" : "darwin"},
                 {"arch", "arm64"},
                 {"cpuCountMin", 4},
                 {"cpuCount", 4},
                 {"memorySizeMin", 4294967296LL},
                 {"memorySize", 4294967296LL},
                 {"fakeAddress", FreeAddress()}};
  std::ofstream(dir / "config.json") << config.dump(2);
  std::ofstream(dir / "disk.img") << "";
  std::ofstream(dir / "nvram.bin") << "";
  return 0;
}

// Commands/Clone.swift: <source> <new-name>; the new name must be local; the copy replaces a
// VM of that name (VMStorageLocal.move is replaceItemAt); a clone gets its own MAC address,
// here its own loopback address.
int Clone(const std::vector<std::string>& args) {
  Parsed p = Parse(args, {"--insecure"});
  if (p.positional.size() != 2) Usage("Missing expected argument '<new-name>'");
  const std::string& source = p.positional[0];
  const std::string& target = p.positional[1];
  if (target.find('/') != std::string::npos) Usage("<new-name> should be a local name");
  fs::path from = OpenVm(source);
  fs::path tmp = Home() / "tmp" / ("clone-" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  for (const char* f : {"config.json", "disk.img", "nvram.bin"}) fs::copy_file(from / f, tmp / f);
  json config = ReadConfig(tmp);
  config["fakeAddress"] = FreeAddress();
  WriteConfig(tmp, config);
  fs::create_directories(Home() / "vms");
  fs::remove_all(VmDir(target));
  fs::rename(tmp, VmDir(target));
  return 0;
}

// Commands/Set.swift with VMConfig.setCPU/setMemory: --memory in MiB, stored in bytes; a
// darwin VM refuses less than its minimum with LessThanMinimalResourcesError (not a
// RuntimeError, so ArgumentParser prints "Error: ..." and exits 1).
int Set(const std::vector<std::string>& args) {
  Parsed p = Parse(args, {"--random-mac", "--random-serial"});
  if (p.positional.size() != 1) Usage("Missing expected argument '<name>'");
  fs::path dir = OpenVm(p.positional[0]);
  json config = ReadConfig(dir);
  bool darwin = config.value("os", "darwin") == "darwin";
  if (auto it = p.options.find("--cpu"); it != p.options.end()) {
    long cpu = std::atol(it->second.c_str());
    long min = config.value("cpuCountMin", 1L);
    if ((darwin && cpu < min) || cpu < 1) {
      Fail("Error: LessThanMinimalResourcesError: VM should have " +
               std::to_string(darwin ? min : 1) + " CPU cores at minimum (requested " + it->second +
               ")",
           1);
    }
    config["cpuCount"] = cpu;
  }
  if (auto it = p.options.find("--memory"); it != p.options.end()) {
    long long bytes = std::atoll(it->second.c_str()) * 1024 * 1024;
    long long min = config.value("memorySizeMin", 0LL);
    if (darwin && bytes < min) {
      Fail("Error: LessThanMinimalResourcesError: VM should have " + std::to_string(min) +
               " bytes of memory at minimum (requested " + std::to_string(bytes) + ")",
           1);
    }
    config["memorySize"] = bytes;
  }
  if (auto it = p.options.find("--disk-size"); it != p.options.end()) {
    config["fakeDiskSizeGB"] = std::atol(it->second.c_str());
  }
  WriteConfig(dir, config);
  return 0;
}

volatile sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

void Answer(int fd, const std::string& vm) {
  char buf[4096];
  std::string request;
  while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 2000) <= 0) break;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    request.append(buf, static_cast<size_t>(n));
  }
  std::string path = "/";
  if (auto sp = request.find(' '); sp != std::string::npos) {
    path = request.substr(sp + 1, request.find(' ', sp + 1) - sp - 1);
  }
  std::string body = path == "/healthz" ? "{\"status\":\"alive\"}" : "fake code-server in " + vm;
  std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  (void)!::write(fd, response.data(), response.size());
  ::close(fd);
}

// Answers HTTP on address:port until SIGINT or SIGTERM. `booted` (when not empty) exists
// while the server listens: the fake guest has its address only then, as a real guest has one
// only once it has booted and taken a DHCP lease.
int Serve(const std::string& address, int port, const std::string& vm, bool announce,
          const fs::path& booted = {}) {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
  if (::bind(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(server, 64) != 0) {
    Fail("fake tart: cannot serve on " + address + ":" + std::to_string(port) + ": " +
             std::strerror(errno),
         1);
  }
  if (!booted.empty()) std::ofstream(booted) << address << "\n";
  if (announce) {
    std::printf("fake VM %s running at %s\n", vm.c_str(), address.c_str());
    std::fflush(stdout);
  }
  while (!g_stop) {
    pollfd pfd{server, POLLIN, 0};
    if (::poll(&pfd, 1, 200) <= 0) continue;
    int fd = ::accept4(server, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) std::thread(Answer, fd, vm).detach();
  }
  if (!booted.empty()) fs::remove(booted);
  ::close(server);
  return 0;
}

// Commands/Run.swift: the VM must exist (VMStorageLocal.open); a VM whose config.json is
// locked already runs: RuntimeError.VMAlreadyRunning, exit 2. Runs until SIGINT (what `tart
// stop` sends) or SIGTERM, then exits 0.
int Run(const std::vector<std::string>& args) {
  Parsed p = Parse(args, {"--no-graphics", "--no-audio", "--no-clipboard", "--nested"});
  if (p.positional.size() != 1) Usage("Missing expected argument '<name>'");
  const std::string& name = p.positional[0];
  fs::path dir = OpenVm(name);
  // Read before locking: closing any descriptor of config.json would drop this process's
  // fcntl lock (Run.swift locks after reading the config for the same reason).
  std::string address = ReadConfig(dir).value("fakeAddress", "127.0.0.2");
  int lock_fd = ::open((dir / "config.json").c_str(), O_RDWR);
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  if (lock_fd < 0 || ::fcntl(lock_fd, F_SETLK, &fl) != 0) {
    Fail("VM \"" + name + "\" is already running!", 2);
  }
  fs::remove(dir / "fake-booted");  // left by a run that was killed
  const char* port = std::getenv("TART_FAKE_CODE_SERVER_PORT");
  return Serve(address, port != nullptr && *port != '\0' ? std::atoi(port) : 8080, name,
               /*announce=*/true, dir / "fake-booted");
}

// Not a tart command: `serve <vm> <port>` stands in for a server a user starts inside the
// running VM, answering 200 on the VM's address and `port` until SIGTERM.
int ServeInGuest(const std::vector<std::string>& args) {
  if (args.size() != 2) Usage("serve <vm> <port>");
  fs::path dir = OpenVm(args[0]);
  if (!Running(dir)) Fail("VM \"" + args[0] + "\" is not running", 2);
  return Serve(ReadConfig(dir).value("fakeAddress", ""), std::atoi(args[1].c_str()), args[0],
               /*announce=*/false);
}

// Commands/IP.swift: polls once a second until --wait seconds have passed; without an address
// RuntimeError.NoIPAddressFound (exit 1) "no IP address found", with ", is your VM running?"
// when it does not run.
int Ip(const std::vector<std::string>& args) {
  Parsed p = Parse(args, {});
  if (p.positional.size() != 1) Usage("Missing expected argument '<name>'");
  fs::path dir = OpenVm(p.positional[0]);
  int wait = p.options.contains("--wait") ? std::atoi(p.options["--wait"].c_str()) : 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(wait);
  while (true) {
    if (Running(dir) && fs::exists(dir / "fake-booted")) {
      std::printf("%s\n", ReadConfig(dir).value("fakeAddress", "").c_str());
      return 0;
    }
    if (std::chrono::steady_clock::now() >= until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  Fail(std::string("no IP address found") + (Running(dir) ? "" : ", is your VM running?"), 1);
}

// Commands/Stop.swift: a stopped VM is RuntimeError.VMNotRunning (exit 2); a running one gets
// SIGINT, then SIGKILL after --timeout seconds (default 30).
int Stop(const std::vector<std::string>& args) {
  Parsed p = Parse(args, {});
  if (p.positional.size() != 1) Usage("Missing expected argument '<name>'");
  const std::string& name = p.positional[0];
  fs::path dir = OpenVm(name);
  if (fs::exists(dir / "state.vzvmsave") && !Running(dir)) {
    fs::remove(dir / "state.vzvmsave");
    return 0;
  }
  pid_t pid = LockHolder(dir);
  if (pid == 0) Fail("VM \"" + name + "\" is not running", 2);
  long timeout = p.options.contains("--timeout") ? std::atol(p.options["--timeout"].c_str()) : 30;
  ::kill(pid, SIGINT);
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
  while (std::chrono::steady_clock::now() < until) {
    if (LockHolder(dir) == 0) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (::kill(pid, SIGKILL) != 0) {
    Fail("failed to forcefully terminate the VM \"" + name + "\": " + std::strerror(errno), 1);
  }
  return 0;
}

// Commands/Delete.swift -> VMStorageHelper.delete -> VMDirectory.delete: a missing VM is
// VMDoesNotExist (exit 2); a running one RuntimeError.VMIsRunning (exit 1).
int Delete(const std::vector<std::string>& args) {
  Parsed p = Parse(args, {});
  if (p.positional.empty()) Usage("Missing expected argument '<name> ...'");
  for (const std::string& name : p.positional) {
    fs::path dir = VmDir(name);
    if (!fs::exists(dir / "config.json")) NoSuchVm(name);
    if (Running(dir)) Fail("VM \"" + name + "\" is running", 1);
    fs::remove_all(dir);
  }
  return 0;
}

// Commands/List.swift, --format json (Formatter/Format.swift: pretty-printed), sorted by name.
int List(const std::vector<std::string>& args) {
  Parsed p = Parse(args, {"--quiet", "-q"});
  std::string format = p.options.contains("--format") ? p.options["--format"] : "text";
  std::string source = p.options.contains("--source") ? p.options["--source"] : "";
  if (!source.empty() && source != "local" && source != "oci") {
    Usage("'" + source + "' is not a valid <source>");
  }
  json out = json::array();
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(Home() / "vms", ec)) {
    if (Initialized(entry.path())) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  if (source != "oci") {
    for (const auto& name : names) {
      fs::path dir = VmDir(name);
      std::string state = State(dir);
      out.push_back({{"Source", "local"},
                     {"Name", name},
                     {"Disk", 0},
                     {"Size", 0},
                     {"Accessed", "2026-01-01T00:00:00Z"},
                     {"Running", state == "running"},
                     {"State", state}});
    }
  }
  if (format == "json") {
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    for (const auto& vm : out) {
      std::printf("%s\t%s\t%s\n", vm["Source"].get<std::string>().c_str(),
                  vm["Name"].get<std::string>().c_str(), vm["State"].get<std::string>().c_str());
    }
  }
  return 0;
}

// Commands/Exec.swift: [-i] [-t] <name> <command...>; a VM that does not run is
// RuntimeError.VMNotRunning (exit 2). Recorded, not run (see the top of this file).
int Exec(const std::vector<std::string>& args) {
  size_t i = 0;
  while (i < args.size() && (args[i] == "-i" || args[i] == "-t" || args[i] == "-it")) ++i;
  if (i + 1 >= args.size()) Usage("Missing expected argument '<command> ...'");
  const std::string& name = args[i];
  fs::path dir = OpenVm(name);
  if (!Running(dir)) Fail("VM \"" + name + "\" is not running", 2);
  json record = {
      {"argv", std::vector<std::string>(args.begin() + static_cast<long>(i) + 1, args.end())}};
  std::ofstream(dir / "exec.log", std::ios::app) << record.dump() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) Usage("Missing expected argument '<subcommand>'");
  // Config.swift: TART_HOME (or ~/.tart) is made when missing, with tmp/ and cache/.
  std::error_code ec;
  fs::create_directories(Home() / "tmp", ec);
  fs::create_directories(Home() / "cache", ec);
  const std::string command = argv[1];
  if (command == "--version") {  // Root.swift: ArgumentParser's version flag
    std::printf("2.0.0-fake\n");
    return 0;
  }
  auto args = Args(argc, argv, 2);
  if (command == "create") return Create(args);
  if (command == "clone") return Clone(args);
  if (command == "set") return Set(args);
  if (command == "run") return Run(args);
  if (command == "ip") return Ip(args);
  if (command == "stop") return Stop(args);
  if (command == "delete") return Delete(args);
  if (command == "list") return List(args);
  if (command == "exec") return Exec(args);
  if (command == "serve") return ServeInGuest(args);
  Usage("Unexpected argument '" + command + "'");
}
