#include "api/unix_socket.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace rockpool::api {
namespace {

std::string Errno() { return std::strerror(errno); }

// Creates each missing folder of `dir` with mode 0700 (existing ones are left as they are).
Status MakeFolders(const std::filesystem::path& dir) {
  std::filesystem::path built;
  for (const auto& part : dir) {
    built /= part;
    if (mkdir(built.c_str(), 0700) == 0) {
      chmod(built.c_str(), 0700);  // whatever the umask
    } else if (errno != EEXIST) {
      return Status::Unavailable("create folder " + built.string() +
                                 " for the control socket: " + Errno());
    }
  }
  return Status::Ok();
}

// True when something accepts connections on the socket at `path`.
bool Answers(const std::string& path) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

}  // namespace

Status PrepareUnixSocketPath(const std::string& path) {
  if (path.empty() || path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    return Status::InvalidArgument("control socket path \"" + path + "\" must be 1-" +
                                   std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) +
                                   " bytes long");
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) RP_RETURN_IF_ERROR(MakeFolders(parent));
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status::Unavailable("control socket " + path + ": " + Errno());
  }
  if (!S_ISSOCK(st.st_mode)) {
    return Status::InvalidArgument("control socket " + path +
                                   " exists and is not a socket; move it away and start again");
  }
  if (Answers(path)) {
    return Status::Unavailable("control socket " + path +
                               ": another control plane is serving there; stop it first "
                               "(rockpool down)");
  }
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::Unavailable("remove stale control socket " + path + ": " + Errno());
  }
  return Status::Ok();
}

Result<uid_t> PeerUid(int fd) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    return Status::Internal("SO_PEERCRED: " + Errno());
  }
  return cred.uid;
}

}  // namespace rockpool::api
