#include "store/testing/test_postgres.h"

#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>

#include "store/pg_db.h"

namespace rockpool::testing {
namespace {

constexpr const char* kSuperuser = "rockpool_test";

std::string BinDir() {
  for (const char* dir : {"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin"}) {
    if (std::filesystem::exists(std::string(dir) + "/pg_ctl")) return dir;
  }
  return "";
}

// A cluster started by this process, stopped (and its files removed) at exit.
class PrivateCluster {
 public:
  ~PrivateCluster() {
    if (dir_.empty()) return;
    Run(as_ + pg_ctl_ + " -D " + dir_ + "/data -m immediate -w stop >/dev/null 2>&1");
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  Result<std::string> Start() {
    const std::string bin = BinDir();
    if (bin.empty()) {
      return Status::Unavailable(
          "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl): apt-get install "
          "postgresql, or set ROCKPOOL_TEST_POSTGRES to a running cluster's socket directory");
    }
    pg_ctl_ = bin + "/pg_ctl";
    std::string tmpl = (std::filesystem::temp_directory_path() / "rockpool-pg.XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) return Status::Internal("mkdtemp failed");
    dir_ = tmpl;
    if (geteuid() == 0) {  // PostgreSQL refuses to run as root
      const passwd* pw = getpwnam("postgres");
      if (pw == nullptr) return Status::Unavailable("no postgres user to run PostgreSQL");
      if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) return Status::Internal("chown");
      as_ = "runuser -u postgres -- ";
    }
    // The server writes its own log (the postgres user cannot write a file made by root).
    if (Run(as_ + bin + "/initdb -D " + dir_ + "/data -U " + kSuperuser +
            " -A trust --no-sync --no-locale -E UTF8 >" + dir_ + "/initdb.log 2>&1") != 0) {
      return Status::Internal("initdb failed: " + Tail(dir_ + "/initdb.log"));
    }
    if (Run(as_ + pg_ctl_ + " -D " + dir_ + "/data -l " + dir_ + "/data/server.log -w -o \"-k " +
            dir_ +
            " -c listen_addresses= -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c max_connections=200\" start >/dev/null 2>&1") != 0) {
      return Status::Internal("PostgreSQL did not start: " + Tail(dir_ + "/data/server.log"));
    }
    return dir_;
  }

 private:
  int Run(const std::string& command) { return std::system(command.c_str()); }
  // The last lines of a log, for an error message (the directory goes with the cluster).
  static std::string Tail(const std::string& path) {
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.size() > 600 ? text.substr(text.size() - 600) : text;
  }

  std::string dir_;
  std::string pg_ctl_;
  std::string as_;
};

Result<std::string> SocketDir() {
  if (const char* dir = std::getenv("ROCKPOOL_TEST_POSTGRES"); dir != nullptr && *dir != 0) {
    return std::string(dir);
  }
  static std::mutex mu;
  static std::unique_ptr<PrivateCluster> cluster;
  static Result<std::string> started = Status::Internal("not started");
  std::lock_guard lock(mu);
  if (!cluster) {
    cluster = std::make_unique<PrivateCluster>();
    started = cluster->Start();
  }
  return started;
}

std::string Url(const std::string& dir, const std::string& database) {
  return std::string("postgresql://") + kSuperuser + "@/" + database + "?host=" + dir;
}

}  // namespace

Result<std::string> NewTestDatabase() {
  RP_ASSIGN_OR_RETURN(std::string dir, SocketDir());
  static std::atomic<int> counter{0};
  const std::string name =
      "rp_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
  RP_ASSIGN_OR_RETURN(auto admin, pg::Connection::Open(Url(dir, "postgres")));
  RP_RETURN_IF_ERROR(admin->Exec("CREATE DATABASE " + name, "create database " + name));
  return Url(dir, name);
}

}  // namespace rockpool::testing
