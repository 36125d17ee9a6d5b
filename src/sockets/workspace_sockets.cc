#include "sockets/workspace_sockets.h"

namespace rockpool::sockets {
namespace {

constexpr std::string_view kSuffix = ".sock";

bool IsDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string Join(std::string_view dir, const std::string& file) {
  std::string path = SocketDir(dir);
  if (path.empty() || path.back() != '/') path += '/';
  return path + file;
}

}  // namespace

std::string IdeSocketFile(std::string_view name) { return std::string(name) + ".sock"; }

std::string PortSocketFile(std::string_view name, std::string_view port) {
  return std::string(name) + "." + std::string(port) + ".sock";
}

std::string SocketDir(std::string_view dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
  return std::string(dir);
}

std::string IdeSocketPath(std::string_view dir, std::string_view name) {
  return Join(dir, IdeSocketFile(name));
}

std::string PortSocketPath(std::string_view dir, std::string_view name, int port) {
  return Join(dir, PortSocketFile(name, std::to_string(port)));
}

bool IsSocketFileOf(std::string_view file, std::string_view name) {
  if (name.empty() || !file.starts_with(name) || !file.ends_with(kSuffix)) return false;
  std::string_view middle = file.substr(name.size());
  middle.remove_suffix(kSuffix.size());
  if (middle.empty()) return file.size() == name.size() + kSuffix.size();  // <name>.sock
  return middle.front() == '.' && IsDigits(middle.substr(1));              // <name>.<port>.sock
}

}  // namespace rockpool::sockets
