#include "sys/ports.h"

#include <dirent.h>
#include <unistd.h>

#include <climits>
#include <fstream>
#include <sstream>

namespace rockpool {
namespace {

constexpr const char* kListenState = "0A";

// Socket inode of a listener on `port` in a /proc/net/tcp-style table, or empty.
std::optional<std::string> ListenerInode(const char* table, int port) {
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
    if (std::stoi(local.substr(colon + 1), nullptr, 16) == port) return inode;
  }
  return std::nullopt;
}

int PidOwningInode(const std::string& inode) {
  const std::string target = "socket:[" + inode + "]";
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return 0;
  int found = 0;
  while (dirent* e = readdir(proc)) {
    if (found != 0) break;
    int pid = std::atoi(e->d_name);
    if (pid <= 0) continue;
    std::string fd_dir = std::string("/proc/") + e->d_name + "/fd";
    DIR* fds = opendir(fd_dir.c_str());
    if (fds == nullptr) continue;
    while (dirent* f = readdir(fds)) {
      char buf[PATH_MAX];
      std::string link = fd_dir + "/" + f->d_name;
      ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
      if (n > 0 && std::string(buf, n) == target) {
        found = pid;
        break;
      }
    }
    closedir(fds);
  }
  closedir(proc);
  return found;
}

}  // namespace

std::optional<PortOwner> FindListener(int port) {
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    auto inode = ListenerInode(table, port);
    if (!inode) continue;
    PortOwner owner;
    owner.pid = PidOwningInode(*inode);
    if (owner.pid != 0) {
      std::ifstream comm("/proc/" + std::to_string(owner.pid) + "/comm");
      std::getline(comm, owner.program);
    }
    return owner;
  }
  return std::nullopt;
}

std::string DescribeListener(int port, const PortOwner& owner) {
  std::string s = "port " + std::to_string(port) + " is in use by ";
  if (owner.pid == 0) return s + "another program";
  return s + (owner.program.empty() ? "a program" : owner.program) + " (pid " +
         std::to_string(owner.pid) + ")";
}

}  // namespace rockpool
