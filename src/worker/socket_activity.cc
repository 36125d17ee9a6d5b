#include "worker/socket_activity.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sockets/workspace_sockets.h"

namespace rockpool {
namespace {

constexpr unsigned long kAcceptingFlag = 0x10000;  // __SO_ACCEPTCON: a listener
constexpr int kConnectedState = 3;                 // SS_CONNECTED

// A line: "<Num>: <RefCount> <Protocol> <Flags> <Type> <St> <Inode> [<Path>]", numbers in hex
// but the inode; the path is the rest of the line (it may hold spaces).
bool ConnectedPath(std::string_view line, std::string_view& path) {
  std::string_view fields[7];
  for (auto& field : fields) {
    const size_t start = line.find_first_not_of(' ');
    if (start == std::string_view::npos) return false;
    line.remove_prefix(start);
    const size_t end = line.find(' ');
    if (end == std::string_view::npos) return false;
    field = line.substr(0, end);
    line.remove_prefix(end);
  }
  const unsigned long flags = std::strtoul(std::string(fields[3]).c_str(), nullptr, 16);
  const long state = std::strtol(std::string(fields[5]).c_str(), nullptr, 16);
  if ((flags & kAcceptingFlag) != 0 || state != kConnectedState) return false;
  const size_t start = line.find_first_not_of(' ');
  if (start == std::string_view::npos) return false;
  path = line.substr(start);
  return true;
}

}  // namespace

std::map<std::string, int> CountSocketConnections(std::string_view table,
                                                  std::string_view socket_dir) {
  std::string dir = sockets::SocketDir(socket_dir);
  if (dir.empty() || dir.back() != '/') dir += '/';
  std::map<std::string, int> counts;
  while (!table.empty()) {
    const size_t eol = table.find('\n');
    std::string_view line = table.substr(0, eol);
    table.remove_prefix(eol == std::string_view::npos ? table.size() : eol + 1);
    std::string_view path;
    if (!ConnectedPath(line, path) || !path.starts_with(dir)) continue;
    const std::string_view file = path.substr(dir.size());
    if (file.find('/') != std::string_view::npos) continue;  // in a folder below
    const std::string_view name = file.substr(0, file.find('.'));
    if (sockets::IsSocketFileOf(file, name)) ++counts[std::string(name)];
  }
  return counts;
}

std::map<std::string, WorkspaceActivity> SocketActivity::Observe() {
  std::ifstream in(table_path_);
  std::ostringstream text;
  if (in.is_open()) text << in.rdbuf();
  if (!in.is_open() || in.bad()) {
    if (!warned_) spdlog::warn("idle: cannot read {}; open connections are not seen", table_path_);
    warned_ = true;
    return {};
  }
  std::map<std::string, WorkspaceActivity> out;
  for (const auto& [name, n] : CountSocketConnections(text.str(), socket_dir_)) {
    out[name].open_connections = n;
  }
  return out;
}

}  // namespace rockpool
