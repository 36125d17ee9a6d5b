// `rockpool serve --dev` run as a person runs it, on a machine without LXD or Caddy: the
// engine socket points at nothing and PATH holds no caddy. It must print its URL and
// credentials, answer /api/health, take a workspace to running through the real API with the
// real gate, serve the dashboard, and remove its temporary store on SIGTERM.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "http/curl_client.h"
#include "http/encoding.h"

namespace rockpool {
namespace {

// The dev server as a child process; its stdout is read line by line.
class DevServer {
 public:
  explicit DevServer(std::vector<std::string> env) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      dup2(out[1], STDERR_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> envp;
      for (auto& e : env) envp.push_back(e.data());
      envp.push_back(nullptr);
      char* argv[] = {const_cast<char*>(ROCKPOOL_BINARY),
                      const_cast<char*>("serve"),
                      const_cast<char*>("--dev"),
                      const_cast<char*>("--port"),
                      const_cast<char*>("0"),
                      nullptr};
      execve(ROCKPOOL_BINARY, argv, envp.data());
      _exit(127);
    }
    close(out[1]);
    output_ = fdopen(out[0], "r");
  }
  ~DevServer() {
    if (pid_ > 0 && !waited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (output_ != nullptr) fclose(output_);
  }

  // Reads lines until `key: value` lines for every key in `keys` were seen (or EOF).
  std::map<std::string, std::string> ReadUntil(const std::vector<std::string>& keys) {
    std::map<std::string, std::string> seen;
    char line[4096];
    while (output_ != nullptr && fgets(line, sizeof line, output_) != nullptr) {
      std::string l(line);
      log_ += l;
      while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.pop_back();
      for (const auto& k : keys) {
        if (l.starts_with(k + ": ")) seen[k] = l.substr(k.size() + 2);
      }
      if (seen.size() == keys.size()) break;
    }
    return seen;
  }
  // Sends SIGTERM and returns the exit status (-1 if it did not exit normally).
  int Terminate() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    char line[4096];
    while (fgets(line, sizeof line, output_) != nullptr) log_ += line;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& log() const { return log_; }

 private:
  pid_t pid_ = -1;
  bool waited_ = false;
  FILE* output_ = nullptr;
  std::string log_;
};

std::string Status(const Result<HttpResponse>& r) {
  return r.ok() ? std::to_string(r->status) + " " + r->body : r.status().message();
}

TEST(ServeDevTest, RunsWithoutEngineOrProxyAndTakesAWorkspaceToRunning) {
  const std::string tmp = ::testing::TempDir() + "serve-dev-" + std::to_string(getpid());
  std::filesystem::create_directories(tmp);
  DevServer dev({"PATH=/nonexistent", "ROCKPOOL_ENGINE_SOCKET=/nonexistent/unix.socket",
                 "ROCKPOOL_STATE_DIR=/nonexistent/state", "ROCKPOOL_DEV_DELAY_SCALE=0.05",
                 "TMPDIR=" + tmp});
  auto printed = dev.ReadUntil({"url", "username", "password"});
  ASSERT_EQ(printed.size(), 3u) << dev.log();
  ASSERT_TRUE(printed["url"].starts_with("http://127.0.0.1:")) << printed["url"];
  ASSERT_EQ(std::distance(std::filesystem::directory_iterator(tmp), {}), 1)
      << "one temporary store folder while it runs";

  CurlHttpClient anonymous(HttpEndpoint::Tcp(printed["url"]));
  auto health = anonymous.Send({.target = "/api/health"});
  ASSERT_TRUE(health.ok() && health->status == 200) << Status(health);
  EXPECT_EQ(anonymous.Send({.target = "/api/workspaces"})->status, 401) << "the gate is on";
  EXPECT_EQ(anonymous.Send({.target = "/app/"})->status, 401) << "the dashboard too";

  Headers auth = BasicAuthHeader(printed["username"], printed["password"]);
  auth.emplace_back("X-Rockpool-Request", "serve-dev-test");
  CurlHttpClient api(HttpEndpoint::Tcp(printed["url"]), auth);
  auto created = api.Send({.method = "POST",
                           .target = "/api/workspaces",
                           .headers = {{"Content-Type", "application/json"}},
                           .body = R"({"name":"dev-alpha"})"});
  ASSERT_TRUE(created.ok() && created->status == 202) << Status(created);
  EXPECT_EQ(nlohmann::json::parse(created->body)["status"], "creating");
  std::string status;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (status != "running" && std::chrono::steady_clock::now() < deadline) {
    auto got = api.Send({.target = "/api/workspaces/dev-alpha"});
    ASSERT_TRUE(got.ok() && got->status == 200) << Status(got);
    status = nlohmann::json::parse(got->body)["status"];
    if (status != "running") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, "running");
  auto invalid = api.Send({.method = "POST",
                           .target = "/api/workspaces",
                           .headers = {{"Content-Type", "application/json"}},
                           .body = R"({"name":"Bad_Name"})"});
  EXPECT_EQ(invalid->status, 400) << "the contract's validation applies";

  EXPECT_EQ(dev.Terminate(), 0) << dev.log();
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(tmp), {}), 0)
      << "the temporary store is removed on exit";
  std::filesystem::remove_all(tmp);
}

TEST(ServeDevTest, AMalformedFailureHookIsRefusedWithTheFix) {
  DevServer dev({"PATH=/nonexistent", "ROCKPOOL_DEV_FAIL_START=no-equals-sign"});
  dev.ReadUntil({"never"});
  EXPECT_EQ(dev.Terminate(), 1);
  EXPECT_NE(dev.log().find("ROCKPOOL_DEV_FAIL_START"), std::string::npos) << dev.log();
}

}  // namespace
}  // namespace rockpool
