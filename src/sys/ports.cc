#include "sys/ports.h"

#include <dirent.h>
#include <unistd.h>

#include <climits>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

namespace rockpool {
namespace {

constexpr const char* kListenState = "0A";

// The socket inode of each listener on a port from `first` to `last` in a /proc/net/tcp-style
// table, added to `out` (port -> inode).
void ListenerInodes(const char* table, int first, int last, std::map<int, std::string>& out) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    row >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >>
        inode;
    auto colon = local.rfind(':');
    if (colon == std::string::npos || state != kListenState) continue;
    const int port = std::stoi(local.substr(colon + 1), nullptr, 16);
    if (port >= first && port <= last) out.emplace(port, inode);
  }
}

// The process holding each socket inode of `inodes` ("socket:[<inode>]" -> pid), in one walk
// of /proc/*/fd.
std::map<std::string, int> PidsOwningInodes(const std::set<std::string>& inodes) {
  std::map<std::string, int> found;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return found;
  while (dirent* e = readdir(proc)) {
    if (found.size() == inodes.size()) break;
    int pid = std::atoi(e->d_name);
    if (pid <= 0) continue;
    std::string fd_dir = std::string("/proc/") + e->d_name + "/fd";
    DIR* fds = opendir(fd_dir.c_str());
    if (fds == nullptr) continue;
    while (dirent* f = readdir(fds)) {
      char buf[PATH_MAX];
      std::string link = fd_dir + "/" + f->d_name;
      ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
      std::string_view target(buf, n > 0 ? n : 0);
      if (!target.starts_with("socket:[") || !target.ends_with("]")) continue;
      std::string inode(target.substr(8, target.size() - 9));
      if (inodes.contains(inode)) found.emplace(inode, pid);
    }
    closedir(fds);
  }
  closedir(proc);
  return found;
}

}  // namespace

std::map<int, PortOwner> FindListeners(int first, int last) {
  std::map<int, std::string> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    ListenerInodes(table, first, last, inodes);
  }
  std::set<std::string> wanted;
  for (const auto& [port, inode] : inodes) wanted.insert(inode);
  const std::map<std::string, int> pids = PidsOwningInodes(wanted);
  std::map<int, PortOwner> owners;
  std::map<int, std::string> programs;  // pid -> /proc/<pid>/comm, read once
  for (const auto& [port, inode] : inodes) {
    PortOwner owner;
    if (auto it = pids.find(inode); it != pids.end()) {
      owner.pid = it->second;
      auto [program, fresh] = programs.try_emplace(owner.pid);
      if (fresh) {
        std::ifstream comm("/proc/" + std::to_string(owner.pid) + "/comm");
        std::getline(comm, program->second);
      }
      owner.program = program->second;
    }
    owners.emplace(port, std::move(owner));
  }
  return owners;
}

std::optional<PortOwner> FindListener(int port) {
  auto owners = FindListeners(port, port);
  if (owners.empty()) return std::nullopt;
  return std::move(owners.begin()->second);
}

std::string DescribeListener(int port, const PortOwner& owner) {
  std::string s = "port " + std::to_string(port) + " is in use by ";
  if (owner.pid == 0) return s + "another program";
  return s + (owner.program.empty() ? "a program" : owner.program) + " (pid " +
         std::to_string(owner.pid) + ")";
}

}  // namespace rockpool
