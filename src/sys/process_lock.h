// Finding Rockpool's own processes without trusting pid files: a daemon holds a POSIX record
// lock on a file while it runs (the kernel drops it when the process dies, and F_GETLK names
// the holder), and a unix socket's server is named by SO_PEERCRED.
#pragma once

#include <chrono>
#include <string>

#include "core/status.h"

namespace rockpool {

// A write lock on `path` held for this object's lifetime, with this process's pid written in
// the file for people reading it. Not inherited by children.
class ProcessLock {
 public:
  // FailedPrecondition-like Conflict naming the holder when another process holds the lock.
  static Result<ProcessLock> Acquire(const std::string& path);
  ProcessLock(ProcessLock&& other) noexcept;
  ProcessLock& operator=(ProcessLock&& other) noexcept;
  ~ProcessLock();

 private:
  explicit ProcessLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// The pid of the process holding a ProcessLock on `path`, else 0 (also when the caller holds
// it itself).
int LockHolder(const std::string& path);

// The pid of the process serving the unix stream socket at `path`, else 0.
int UnixSocketServerPid(const std::string& path);

// True while `pid` runs (a zombie does not; an exited child of ours is reaped).
bool ProcessRunning(int pid);

// True when `pid` runs the file at `path` now (same inode), false when it runs another file or
// a file that was since replaced.
bool RunsExecutable(int pid, const std::string& path);

// Sends SIGTERM to `pid` and waits up to `timeout` for it to end; Unavailable naming `what`
// and the pid when it still runs.
Status TerminateAndWait(int pid, const std::string& what, std::chrono::milliseconds timeout);

}  // namespace rockpool
