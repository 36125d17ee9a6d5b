#include "runtime/incus/socket.h"

#include <sys/stat.h>

#include <cstdlib>

namespace rockpool::incus {
namespace {

bool IsSocket(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

}  // namespace

std::vector<std::string> KnownSocketPaths() {
  return {"/var/lib/incus/unix.socket", "/var/lib/lxd/unix.socket",
          "/var/snap/lxd/common/lxd/unix.socket"};
}

Result<std::string> DetectSocket() {
  if (const char* env = std::getenv("ROCKPOOL_INCUS_SOCKET"); env != nullptr && *env != '\0') {
    if (IsSocket(env)) return std::string(env);
    return Status::Unavailable(std::string("incus: no daemon socket at ") + env +
                               " (from ROCKPOOL_INCUS_SOCKET); is the daemon running? start "
                               "it with: rockpool up");
  }
  std::string tried;
  for (const auto& path : KnownSocketPaths()) {
    if (IsSocket(path)) return path;
    tried += (tried.empty() ? "" : ", ") + path;
  }
  return Status::Unavailable("incus: no Incus or LXD daemon socket found (tried " + tried +
                             "); is the LXD daemon running? start it with: rockpool up");
}

}  // namespace rockpool::incus
