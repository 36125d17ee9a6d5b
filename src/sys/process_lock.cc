#include "sys/process_lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

namespace rockpool {
namespace {

struct flock WholeFile(short type) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  return lock;
}

}  // namespace

Result<ProcessLock> ProcessLock::Acquire(const std::string& path) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("open(" + path + "): " + std::strerror(errno));
  struct flock lock = WholeFile(F_WRLCK);
  if (fcntl(fd, F_SETLK, &lock) != 0) {
    const int err = errno;
    close(fd);
    if (err == EAGAIN || err == EACCES) {
      return Status::Conflict(path + " is locked by pid " + std::to_string(LockHolder(path)));
    }
    return Status::Internal("lock " + path + ": " + std::strerror(err));
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    const int err = errno;
    close(fd);
    return Status::Internal("write " + path + ": " + std::strerror(err));
  }
  return ProcessLock(fd);
}

ProcessLock::ProcessLock(ProcessLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

ProcessLock& ProcessLock::operator=(ProcessLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

ProcessLock::~ProcessLock() {
  if (fd_ >= 0) close(fd_);
}

int LockHolder(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  struct flock lock = WholeFile(F_WRLCK);
  const int rc = fcntl(fd, F_GETLK, &lock);
  close(fd);
  return rc == 0 && lock.l_type != F_UNLCK ? lock.l_pid : 0;
}

int UnixSocketServerPid(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) return 0;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  int pid = 0;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    ucred cred{};
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) pid = cred.pid;
  }
  close(fd);
  return pid;
}

bool ProcessRunning(int pid) {
  if (pid <= 0) return false;
  int wstatus = 0;
  if (waitpid(pid, &wstatus, WNOHANG) == pid) return false;
  if (kill(pid, 0) != 0 && errno != EPERM) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;  // no /proc: kill() is all we know
  const auto paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] != 'Z';
}

bool RunsExecutable(int pid, const std::string& path) {
  struct stat running {};
  struct stat on_disk {};
  if (stat(("/proc/" + std::to_string(pid) + "/exe").c_str(), &running) != 0) return false;
  if (stat(path.c_str(), &on_disk) != 0) return false;
  return running.st_dev == on_disk.st_dev && running.st_ino == on_disk.st_ino;
}

Status TerminateAndWait(int pid, const std::string& what, std::chrono::milliseconds timeout) {
  if (!ProcessRunning(pid)) return Status::Ok();
  if (kill(pid, SIGTERM) != 0 && errno != ESRCH) {
    return Status::Internal("kill -TERM " + std::to_string(pid) + " (" + what +
                            "): " + std::strerror(errno));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (ProcessRunning(pid)) {
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Unavailable(what + " (pid " + std::to_string(pid) + ") still runs " +
                                 std::to_string(timeout.count()) + " ms after SIGTERM");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::Ok();
}

}  // namespace rockpool
