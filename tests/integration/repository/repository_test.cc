// Workspaces created from a repository, against the private Rockpool (real LXD, Caddy and
// code-server) and a git server of the test's own: git's smart HTTP over HTTPS, in a network
// namespace behind a veth pair at 203.0.113.2 (TEST-NET-3, so workspaces reach it through the
// host like any server on the internet), its certificate signed by a CA the test makes and
// hands to the control plane through ROCKPOOL_GIT_CA_FILE. /private/ needs a token.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.h"
#include "sys/process_lock.h"

namespace rockpool::e2e {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kServer[] = "203.0.113.2";
const std::string kToken = "rpt-token-" + std::to_string(getpid()) + "-d41d8cd98f00b204";

Result<std::string> Sh(const std::string& command) {
  RP_ASSIGN_OR_RETURN(auto r, RunCommand({"sh", "-c", command}));
  if (r.exit_code != 0) {
    return Status::Internal("`" + command + "` exit " + std::to_string(r.exit_code) + ": " +
                            r.output);
  }
  return r.output;
}

bool Alive(int pid) { return pid > 0 && kill(pid, 0) == 0; }

// Stops the supervisor and the control plane, then `rockpool up` with `env` added: the
// control plane's settings are read at its start.
Status RestartControlPlane(const std::vector<std::string>& env) {
  for (const char* lock : {"/supervise.lock", "/serve.lock"}) {
    const int pid = LockHolder(StateDir() + lock);
    if (pid <= 0) continue;
    kill(pid, SIGTERM);
    if (!WaitUntil([&] { return !Alive(pid); }, seconds(60))) {
      return Status::Internal(std::string("pid of ") + lock + " did not stop");
    }
  }
  RP_ASSIGN_OR_RETURN(auto up, RunCommand({kRockpool, "up"}, env));
  if (up.exit_code != 0) return Status::Internal("rockpool up: " + up.output);
  return Status::Ok();
}

class GitServer {
 public:
  Status Start() {
    dir_ = ::testing::TempDir() + "rockpool-git-" + std::to_string(getpid());
    ns_ = "rpgit" + std::to_string(getpid() % 100000);
    fs::remove_all(dir_);
    fs::create_directories(dir_ + "/root/public");
    fs::create_directories(dir_ + "/root/private");
    std::ofstream(dir_ + "/token") << kToken << "\n";
    const std::string d = dir_;
    const std::string git =
        "GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t "
        "HOME=" +
        d + " git";
    // app: main (README), branch feature (feature.txt), tag v1. secret: private. dotfiles:
    // .vimrc and an install script that leaves a marker.
    RP_RETURN_IF_ERROR(Sh("set -e; cd " + d + "; " + git + " init -q -b main work; cd work; " +
                          "echo 'on main' > README.md; " + git + " add .; " + git +
                          " commit -qm first; " + git + " tag v1; " + git +
                          " checkout -qb feature; echo 'on feature' > feature.txt; " + git +
                          " add .; " + git + " commit -qm feature; " + git + " checkout -q main; " +
                          git + " clone -q --bare . " + d + "/root/public/app.git; " + git +
                          " clone -q --bare . " + d + "/root/private/secret.git")
                           .status());
    RP_RETURN_IF_ERROR(Sh("set -e; cd " + d + "; " + git + " init -q -b main dots; cd dots; " +
                          "echo 'set number' > .vimrc; printf '#!/bin/sh\\necho installed > "
                          "\"$HOME/.dotfiles-installed\"\\n' > install.sh; " +
                          git + " add .; " + git + " commit -qm dots; " + git +
                          " clone -q --bare . " + d + "/root/public/dotfiles.git")
                           .status());
    RP_RETURN_IF_ERROR(Sh("set -e; cd " + d +
                          "; openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
                          "'/CN=Rockpool test CA' -keyout ca.key -out ca.pem 2>/dev/null; "
                          "openssl req -newkey rsa:2048 -nodes -subj '/CN=" +
                          kServer +
                          "' -keyout server.key -out server.csr 2>/dev/null; "
                          "printf 'subjectAltName=IP:" +
                          kServer +
                          "' > san.ext; "
                          "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key "
                          "-CAcreateserial -days 2 -extfile san.ext -out server.pem 2>/dev/null")
                           .status());
    const std::string n = ns_;
    RP_RETURN_IF_ERROR(
        Sh("set -e; ip netns add " + n + "; ip link add " + n + "h type veth peer name " + n +
           "n; ip link set " + n + "n netns " + n + "; ip addr add 203.0.113.1/24 dev " + n +
           "h; ip link set " + n + "h up; ip netns exec " + n + " ip addr add " + kServer +
           "/24 dev " + n + "n; ip netns exec " + n + " ip link set " + n + "n up; ip netns exec " +
           n + " ip link set lo up; ip netns exec " + n + " ip route add default via 203.0.113.1")
            .status());
    RealProcessRunner runner;
    RP_ASSIGN_OR_RETURN(
        pid_, runner.SpawnDaemon({.argv = {"ip", "netns", "exec", n, "/usr/bin/python3",
                                           std::string(ROCKPOOL_SOURCE_DIR) +
                                               "/tests/integration/repository/git_http_server.py",
                                           "--root", d + "/root", "--cert", d + "/server.pem",
                                           "--key", d + "/server.key", "--token-file", d + "/token",
                                           "--slow-private", "1"}},
                                 d + "/server.log"));
    if (!WaitUntil(
            [&] {
              return Sh("curl -sf --cacert " + d + "/ca.pem https://" + kServer +
                        "/public/app.git/info/refs?service=git-upload-pack -o /dev/null")
                  .ok();
            },
            seconds(20))) {
      return Status::Internal("the git server did not answer: " + Log());
    }
    return Status::Ok();
  }
  void Stop() {
    if (pid_ > 0) kill(pid_, SIGTERM);
    (void)Sh("ip link delete " + ns_ + "h 2>/dev/null; ip netns delete " + ns_ + " 2>/dev/null");
    fs::remove_all(dir_);
  }
  std::string Log() const {
    std::ifstream in(dir_ + "/server.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::string ca() const { return dir_ + "/ca.pem"; }
  std::string bare(const std::string& path) const { return dir_ + "/root/" + path; }
  std::string dir() const { return dir_; }

 private:
  std::string dir_, ns_;
  int pid_ = 0;
};

GitServer* g_server = nullptr;

class RepositoryTest : public ControlPlaneTest {
 protected:
  static void SetUpTestSuite() {
    if (!CheckPrivateDeployment().ok()) return;
    g_server = new GitServer;
    Status started = g_server->Start();
    if (!started.ok()) {
      setup_error_ = started.ToString();
      return;
    }
    Status restarted = RestartControlPlane(
        {"ROCKPOOL_GIT_CA_FILE=" + g_server->ca(),
         "ROCKPOOL_DOTFILES=https://" + std::string(kServer) + "/public/dotfiles.git"});
    if (!restarted.ok()) setup_error_ = restarted.ToString();
  }
  static void TearDownTestSuite() {
    if (g_server == nullptr) return;
    (void)RestartControlPlane({});  // back to the suite's settings
    g_server->Stop();
    delete g_server;
    g_server = nullptr;
  }
  void SetUp() override {
    ControlPlaneTest::SetUp();
    ASSERT_EQ(setup_error_, "");
  }

  std::string Url(const std::string& path) { return "https://" + std::string(kServer) + path; }
  // Creates `name` from `repository` and waits until it runs; returns it as the API shows it.
  Result<Workspace> CreateFrom(const std::string& name, SourceRequest repository) {
    RP_RETURN_IF_ERROR(api().Create(name, "", {}, std::nullopt, repository).status());
    return WaitForStatus(name, WorkspaceStatus::kRunning, seconds(240));
  }
  // Runs `command` as the workspace's user in its home; its output.
  Result<std::string> AsAdmin(const std::string& name, const std::string& command) {
    RP_ASSIGN_OR_RETURN(auto r, RunCommand({"lxc", "exec", "rp-" + name, "--user", "1000",
                                            "--group", "1000", "--env", "HOME=/home/admin", "--cwd",
                                            "/home/admin", "--", "sh", "-c", command}));
    if (r.exit_code != 0) return Status::Internal(command + ": " + r.output);
    return r.output;
  }

  static inline std::string setup_error_;
};

TEST_F(RepositoryTest, ABranchOfAPublicRepositoryIsCheckedOutInTheIdeFolderWithDotfiles) {
  const std::string name = Track(UniqueName());
  auto ws = CreateFrom(name, {Url("/public/app.git"), "feature"});
  ASSERT_TRUE(ws.ok()) << ws.status().ToString() << ServeLogTail();
  ASSERT_EQ(ws->status, WorkspaceStatus::kRunning) << ws->status_reason.value_or("");
  ASSERT_TRUE(ws->source);
  EXPECT_EQ(ws->source->status, SourceStatus::kCloned) << ws->source->error.value_or("");
  EXPECT_EQ(*AsAdmin(name, "cat workspace/feature.txt"), "on feature\n");
  EXPECT_EQ(*AsAdmin(name, "git -C workspace rev-parse --abbrev-ref HEAD"), "feature\n");
  EXPECT_EQ(*AsAdmin(name, "git -C workspace config --get remote.origin.url"),
            Url("/public/app.git") + "\n");
  EXPECT_EQ(*AsAdmin(name, "stat -c %u workspace/README.md workspace/.git"), "1000\n1000\n");
  EXPECT_EQ(*AsAdmin(name, "cat .dotfiles-installed"), "installed\n") << "dotfiles applied";
  // git in the IDE's terminal trusts the same server for later pulls.
  EXPECT_TRUE(AsAdmin(name, "cd workspace && git fetch -q origin").ok());
  EXPECT_EQ(IdeHealth(name), 200);
}

TEST_F(RepositoryTest, APrivateRepositoryOpensWithItsTokenAndTheTokenIsKeptNowhereInTheClear) {
  const std::string name = Track(UniqueName());
  auto ws = CreateFrom(name, {Url("/private/secret.git"), std::nullopt, std::nullopt, kToken});
  ASSERT_TRUE(ws.ok()) << ws.status().ToString();
  ASSERT_TRUE(ws->source);
  EXPECT_EQ(ws->source->status, SourceStatus::kCloned) << ws->source->error.value_or("");
  EXPECT_TRUE(ws->source->sealed_token) << "the answer says a token is kept";
  EXPECT_EQ(*AsAdmin(name, "cat workspace/README.md"), "on main\n");

  auto answer = Http(ControlUrl(), "GET", "/api/workspaces/" + name, creds());
  EXPECT_THAT(answer.body, HasSubstr("\"hasToken\":true"));
  EXPECT_THAT(answer.body, Not(HasSubstr(kToken)));
  // Not in the workspace: no file of the user's (history, git config, credentials) holds it,
  // and the remote URL has no credentials.
  auto found = RunCommand({"lxc", "exec", "rp-" + name, "--", "grep", "-rlF", kToken, "/home/admin",
                           "/tmp", "/root", "/etc", "/var/log"});
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->exit_code, 1) << "found in: " << found->output;
  // Not on the host in the clear: the store, the control plane's logs, LXD's logs.
  auto host = RunCommand(
      {"grep", "-rlaF", kToken, StateDir(), fs::path(ServeLog()).parent_path(), "/var/log/lxd"});
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(host->exit_code, 1) << "found in: " << host->output;
}

// The attack: code running in the workspace as its user (say, a dependency of the cloned
// project) watches every process's environment and command line while a clone with the token
// is retried. It can read those of its own user (shown first with a decoy), but git runs as the
// workspace's root, and the token never shows.
TEST_F(RepositoryTest, CodeOfTheWorkspacesUserCannotReadTheTokenWhileACloneRuns) {
  const std::string name = Track(UniqueName());
  const std::string ref = "spied-" + std::to_string(getpid());
  auto ws = CreateFrom(name, {Url("/private/secret.git"), ref, std::nullopt, kToken});
  ASSERT_TRUE(ws.ok()) << ws.status().ToString();
  ASSERT_EQ(ws->source->error_kind, CloneError::kMissingRef) << ws->source->error.value_or("");

  ASSERT_TRUE(AsAdmin(name, "printf '%s\\n' '" + kToken + "' > /tmp/spy.pattern").ok());
  const std::string spy =
      "nohup sh -c 'while :; do for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do "
      "tr \"\\000\" \"\\n\" < $f 2>/dev/null; done | grep -F -f /tmp/spy.pattern "
      ">> /tmp/spy.hits; echo . >> /tmp/spy.rounds; done' >/dev/null 2>&1 &";
  ASSERT_TRUE(AsAdmin(name, ": > /tmp/spy.hits; " + spy).ok());
  // The spy sees what its own user's processes hold.
  ASSERT_TRUE(AsAdmin(name, "RP_DECOY=$(cat /tmp/spy.pattern) sleep 2").ok());
  ASSERT_NE(*AsAdmin(name, "wc -l < /tmp/spy.hits"), "0\n") << "the spy cannot see a decoy";
  ASSERT_TRUE(AsAdmin(name, ": > /tmp/spy.hits; : > /tmp/spy.rounds").ok());

  ASSERT_TRUE(
      Sh("cd " + g_server->bare("private/secret.git") + " && git branch " + ref + " main").ok());
  ASSERT_TRUE(api().RetryClone(name).ok());
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto now = api().Get(name);
        return now.ok() && now->source && now->source->status != SourceStatus::kPending;
      },
      seconds(120)));
  auto after = api().Get(name);
  ASSERT_EQ(after->source->status, SourceStatus::kCloned) << after->source->error.value_or("");
  (void)AsAdmin(name, "pkill -f spy.pattern; true");
  const std::string rounds = *AsAdmin(name, "wc -l < /tmp/spy.rounds");
  EXPECT_GT(std::stoi(rounds), 3) << "the spy ran while the clone did";
  EXPECT_EQ(*AsAdmin(name, "wc -l < /tmp/spy.hits"), "0\n") << "the spy saw the token";
  EXPECT_EQ(*AsAdmin(name, "git -C workspace rev-parse --abbrev-ref HEAD"), ref + "\n");
}

TEST_F(RepositoryTest, FailedClonesAreSortedLeaveTheWorkspaceUsableAndCanBeRetried) {
  struct Case {
    std::string name;
    SourceRequest repo;
    CloneError kind;
  };
  std::vector<Case> cases = {
      {Track(UniqueName()), {Url("/public/nope.git")}, CloneError::kBadUrl},
      {Track(UniqueName()), {Url("/public/app.git"), "later"}, CloneError::kMissingRef},
      {Track(UniqueName()),
       {Url("/private/secret.git"), std::nullopt, std::nullopt, "wrong-token"},
       CloneError::kAuthentication},
      {Track(UniqueName()),
       {"https://" + std::string(kServer) + ":9/x.git"},
       CloneError::kUnreachable},
  };
  for (const Case& c : cases)
    ASSERT_TRUE(api().Create(c.name, "", {}, std::nullopt, c.repo).ok()) << c.name;
  for (const Case& c : cases) {
    auto ws = WaitForStatus(c.name, WorkspaceStatus::kRunning, seconds(240));
    ASSERT_TRUE(ws.ok()) << ws.status().ToString();
    ASSERT_EQ(ws->status, WorkspaceStatus::kRunning)
        << c.name << ": " << ws->status_reason.value_or("");
    ASSERT_TRUE(ws->source);
    EXPECT_EQ(ws->source->status, SourceStatus::kFailed) << c.repo.url;
    EXPECT_EQ(ws->source->error_kind, c.kind)
        << c.repo.url << ": " << ws->source->error.value_or("");
    EXPECT_FALSE(ws->source->error.value_or("").empty());
    EXPECT_THAT(ws->source->error.value_or(""), Not(HasSubstr("wrong-token")));
    EXPECT_EQ(IdeHealth(c.name), 200) << "the workspace is usable";
  }
  // The missing ref appears upstream; the retry clones it.
  ASSERT_TRUE(Sh("cd " + g_server->bare("public/app.git") + " && git branch later main").ok());
  auto retried = api().RetryClone(cases[1].name);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(retried->source->status, SourceStatus::kPending);
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto ws = api().Get(cases[1].name);
        return ws.ok() && ws->source && ws->source->status != SourceStatus::kPending;
      },
      seconds(120)));
  auto after = api().Get(cases[1].name);
  EXPECT_EQ(after->source->status, SourceStatus::kCloned) << after->source->error.value_or("");
  EXPECT_EQ(*AsAdmin(cases[1].name, "git -C workspace rev-parse --abbrev-ref HEAD"), "later\n");
  // A cloned repository is not cloned again.
  EXPECT_EQ(api().RetryClone(cases[1].name).status().code(), Code::kConflict);
}

TEST_F(RepositoryTest, BadRepositoriesAreRefusedWithA400AndNothingIsCreated) {
  const std::string name = UniqueName();
  for (const std::string& body :
       {R"({"name":")" + name + R"(","repository":{"url":"file:///etc"}})",
        R"({"name":")" + name + R"(","repository":{"url":"https://u:p@h/x.git"}})",
        R"({"name":")" + name + R"(","repository":{"url":"http://h/x.git","token":"t"}})",
        R"({"name":")" + name +
            R"(","repository":{"url":"https://h/x.git","ref":"--upload-pack=x"}})",
        R"({"name":")" + name + R"(","repository":{"url":"https://h/x.git","extra":1}})"}) {
    auto r = Http(ControlUrl(), "POST", "/api/workspaces", creds(), body);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
  }
  EXPECT_EQ(api().Get(name).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace rockpool::e2e
