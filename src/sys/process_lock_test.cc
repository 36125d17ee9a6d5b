#include "sys/process_lock.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace rockpool {
namespace {

namespace fs = std::filesystem;

class ProcessLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rp-plock-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string File(const std::string& name) { return (dir_ / name).string(); }

  // A child that runs `body` and then waits to be killed; its pid once `ready` exists.
  pid_t Child(const std::function<void()>& body, const std::string& ready) {
    pid_t pid = fork();
    if (pid == 0) {
      body();
      std::ofstream(ready) << "1";
      for (;;) pause();
    }
    for (int i = 0; i < 500 && !fs::exists(ready); ++i) usleep(10'000);
    return pid;
  }
  void Kill(pid_t pid) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  fs::path dir_;
};

TEST_F(ProcessLockTest, HolderIsNamedWhileItRunsAndNotAfter) {
  const std::string lock = File("serve.lock");
  EXPECT_EQ(LockHolder(lock), 0);  // no file yet
  pid_t child = Child([&] { static auto held = ProcessLock::Acquire(lock); }, File("ready"));
  EXPECT_EQ(LockHolder(lock), child);
  auto second = ProcessLock::Acquire(lock);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("pid " + std::to_string(child)), std::string::npos)
      << second.status().message();
  Kill(child);
  EXPECT_EQ(LockHolder(lock), 0);  // the file stays, naming a dead pid: it is not believed
  EXPECT_TRUE(ProcessLock::Acquire(lock).ok());
}

TEST_F(ProcessLockTest, SocketServerIsNamed) {
  const std::string path = File("local.sock");
  EXPECT_EQ(UnixSocketServerPid(path), 0);
  pid_t child = Child(
      [&] {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strcpy(addr.sun_path, path.c_str());
        bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        listen(fd, 4);
      },
      File("ready"));
  EXPECT_EQ(UnixSocketServerPid(path), child);
  Kill(child);
  EXPECT_EQ(UnixSocketServerPid(path), 0);
}

TEST_F(ProcessLockTest, TerminateWaitsForTheEndAndReportsOneThatStays) {
  pid_t obeys = Child([] {}, File("ready1"));
  EXPECT_TRUE(ProcessRunning(obeys));
  EXPECT_TRUE(TerminateAndWait(obeys, "child", std::chrono::seconds(5)).ok());
  EXPECT_FALSE(ProcessRunning(obeys));

  pid_t stays = Child([] { signal(SIGTERM, SIG_IGN); }, File("ready2"));
  Status s = TerminateAndWait(stays, "stubborn child", std::chrono::milliseconds(200));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("stubborn child (pid " + std::to_string(stays) + ") still runs"),
            std::string::npos)
      << s.message();
  Kill(stays);
}

TEST_F(ProcessLockTest, RunsExecutableComparesTheFileOnDisk) {
  EXPECT_TRUE(RunsExecutable(getpid(), fs::read_symlink("/proc/self/exe").string()));
  EXPECT_FALSE(RunsExecutable(getpid(), "/bin/sh"));
}

}  // namespace
}  // namespace rockpool
