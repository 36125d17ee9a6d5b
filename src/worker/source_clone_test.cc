#include "worker/source_clone.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "auth/secret_box.h"
#include "runtime/fake/fake_runtime.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"
#include "store/uuid.h"
#include "sys/process.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "tok-4f9a-very-secret";

class SourceCloneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteStore::Open(dir_.File("rockpool.db"), clock_)).value();
    box_ = std::move(auth::SecretBox::FromKey(std::string(32, 'k'))).value();
    options_.secrets = box_.get();
  }
  // A running workspace with the source `url` (and a token when `token`).
  Workspace Seed(const std::string& url, bool token = false,
                 std::optional<std::string> ref = std::nullopt) {
    Workspace ws{NewUuidV4(), "app", WorkspaceStatus::kCreating, "img", std::nullopt, "", ""};
    EXPECT_TRUE(store_->workspaces().Insert(ws).ok());
    WorkspaceSource s;
    s.workspace_id = ws.id;
    s.url = url;
    s.ref = std::move(ref);
    s.username = "x-access-token";
    if (token) s.sealed_token = *box_->Seal(kToken);
    EXPECT_TRUE(store_->sources().Insert(s).ok());
    runtime_.PutInstance("app", {"img", true});
    return ws;
  }
  WorkspaceSource Source(const Workspace& ws) { return *store_->sources().Get(ws.id); }
  // The IDE folder is free, and the clone step answers `clone`.
  void CloneAnswers(ScriptResult clone) {
    runtime_.respond = [clone](const ScriptSpec& spec) {
      if (spec.script == SourceCloner::CheckScript()) return ScriptResult{20, "", ""};
      if (spec.script == SourceCloner::CloneScript()) return clone;
      return ScriptResult{0, "", ""};
    };
  }
  std::vector<FakeRuntime::RecordedScript> Runs(const std::string& script) {
    std::vector<FakeRuntime::RecordedScript> out;
    for (auto& r : runtime_.scripts()) {
      if (r.spec.script == script) out.push_back(r);
    }
    return out;
  }

  TempDir dir_;
  FakeClock clock_;
  FakeRuntime runtime_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<auth::SecretBox> box_;
  CloneOptions options_;
};

TEST_F(SourceCloneTest, TheTokenReachesOnlyRootsGitThroughTheEnvironment) {
  Workspace ws = Seed("https://git.example.com/app.git", true, "main");
  CloneAnswers({0, "/var/tmp/rockpool-clone.AbC123\n", ""});
  SourceCloner cloner(*store_, runtime_, options_);
  ASSERT_TRUE(cloner.Clone(ws).ok());
  auto clones = Runs(SourceCloner::CloneScript());
  ASSERT_EQ(clones.size(), 1u);
  EXPECT_EQ(clones[0].spec.user, ScriptSpec::User::kRoot);
  EXPECT_EQ(clones[0].spec.env.at("RP_GIT_TOKEN"), kToken);
  EXPECT_EQ(clones[0].spec.env.at("RP_GIT_URL"), "https://git.example.com/app.git");
  EXPECT_EQ(clones[0].spec.env.at("RP_GIT_REF"), "main");
  for (const auto& run : runtime_.scripts()) {
    EXPECT_THAT(run.spec.script, Not(HasSubstr(kToken)));
    if (run.spec.user == ScriptSpec::User::kRoot) continue;
    for (const auto& [key, value] : run.spec.env) {
      EXPECT_THAT(value, Not(HasSubstr(kToken))) << key << " of a script of the workspace's user";
    }
  }
  auto moves = Runs(SourceCloner::MoveScript());
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].spec.user, ScriptSpec::User::kWorkspace);
  EXPECT_EQ(moves[0].spec.env.at("RP_CLONE_OUT"), "/var/tmp/rockpool-clone.AbC123");
  EXPECT_EQ(Runs(SourceCloner::CleanupScript()).size(), 1u);
  EXPECT_EQ(Source(ws).status, SourceStatus::kCloned);
  const size_t runs = runtime_.scripts().size();
  ASSERT_TRUE(cloner.Clone(ws).ok());
  EXPECT_EQ(runtime_.scripts().size(), runs) << "a cloned source is not cloned again";
}

TEST_F(SourceCloneTest, AFolderThatHoldsTheRepositoryAlreadyCountsAsCloned) {
  Workspace ws = Seed("https://git.example.com/app.git");
  runtime_.RespondToScripts({0, "", ""});  // the check finds it there
  ASSERT_TRUE(SourceCloner(*store_, runtime_, options_).Clone(ws).ok());
  EXPECT_EQ(Source(ws).status, SourceStatus::kCloned);
  EXPECT_TRUE(Runs(SourceCloner::CloneScript()).empty());
}

TEST_F(SourceCloneTest, FailuresAreSortedAndNeverRepeatTheToken) {
  Workspace ws = Seed("https://git.example.com/app.git", true);
  SourceCloner cloner(*store_, runtime_, options_);
  CloneAnswers(
      {10, "", std::string("remote: bad token ") + kToken + "\nfatal: Authentication failed\n"});
  ASSERT_TRUE(cloner.Clone(ws).ok());
  WorkspaceSource s = Source(ws);
  EXPECT_EQ(s.status, SourceStatus::kFailed);
  EXPECT_EQ(s.error_kind, CloneError::kAuthentication);
  EXPECT_THAT(*s.error, HasSubstr("Authentication failed"));
  EXPECT_THAT(*s.error, Not(HasSubstr(kToken)));

  ASSERT_TRUE(store_->sources().SetOutcome(ws.id, SourceStatus::kPending, {}, {}).ok());
  CloneAnswers({12, "", "rockpool: ref nope did not match any branch"});
  ASSERT_TRUE(cloner.Clone(ws).ok());
  EXPECT_EQ(Source(ws).error_kind, CloneError::kMissingRef);

  ASSERT_TRUE(store_->sources().SetOutcome(ws.id, SourceStatus::kPending, {}, {}).ok());
  CloneAnswers({124, "", ""});
  ASSERT_TRUE(cloner.Clone(ws).ok());
  EXPECT_EQ(Source(ws).error_kind, CloneError::kUnreachable);
  EXPECT_THAT(*Source(ws).error, HasSubstr("did not finish within"));
}

TEST_F(SourceCloneTest, AStoppedWorkspaceOrAForeignKeyFailsTheCloneNotTheWorkspace) {
  Workspace ws = Seed("https://git.example.com/app.git", true);
  runtime_.SetRunning("app", false);
  SourceCloner cloner(*store_, runtime_, options_);
  ASSERT_TRUE(cloner.Clone(ws).ok());
  EXPECT_EQ(Source(ws).status, SourceStatus::kFailed);
  EXPECT_THAT(*Source(ws).error, HasSubstr("start the workspace, then retry"));

  ASSERT_TRUE(store_->sources().SetOutcome(ws.id, SourceStatus::kPending, {}, {}).ok());
  runtime_.SetRunning("app", true);
  auto other = std::move(auth::SecretBox::FromKey(std::string(32, 'o'))).value();
  CloneOptions foreign = options_;
  foreign.secrets = other.get();
  ASSERT_TRUE(SourceCloner(*store_, runtime_, foreign).Clone(ws).ok());
  EXPECT_EQ(Source(ws).error_kind, CloneError::kAuthentication);
  EXPECT_THAT(*Source(ws).error, HasSubstr("create it again"));
  EXPECT_TRUE(runtime_.scripts().empty()) << "git never ran without its token";
}

// The scripts themselves, run by /bin/sh on this host against local repositories: the
// workspace's home and root's home are temporary folders.
class HostRuntime : public FakeRuntime {
 public:
  explicit HostRuntime(std::string dir) : dir_(std::move(dir)) {}
  Result<ScriptResult> RunScript(const std::string& /*name*/, const ScriptSpec& spec) override {
    const bool root = spec.user == ScriptSpec::User::kRoot;
    const std::string home = dir_ + (root ? "/root" : "/home");
    std::vector<std::string> env = {"HOME=" + home};
    for (const auto& [k, v] : spec.env) env.push_back(k + "=" + v);
    RealProcessRunner runner;
    // stdout and stderr apart: the clone step prints the hand-over folder on stdout.
    const std::string err = dir_ + "/stderr";
    ProcessSpec p{
        .argv = {"/bin/sh", "-c", "( " + spec.script + "\n) 2>" + err}, .env = env, .cwd = home};
    RP_ASSIGN_OR_RETURN(auto r, runner.Run(p));
    std::ifstream in(err);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    return ScriptResult{r.exit_code, r.output, text};
  }

 private:
  std::string dir_;
};

class CloneScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.File("home");
    fs::create_directories(home_ + "/workspace");
    fs::create_directories(dir_.File("root"));
    repo_ = dir_.File("repo");
    Git({"init", "--quiet", "-b", "main", repo_});
    std::ofstream(repo_ + "/README.md") << "on main\n";
    Git({"-C", repo_, "add", "."});
    Git({"-C", repo_, "commit", "--quiet", "-m", "first"});
    Git({"-C", repo_, "tag", "v1"});
    first_ = Git({"-C", repo_, "rev-parse", "HEAD"});
    Git({"-C", repo_, "checkout", "--quiet", "-b", "feature"});
    std::ofstream(repo_ + "/feature.txt") << "on feature\n";
    Git({"-C", repo_, "add", "."});
    Git({"-C", repo_, "commit", "--quiet", "-m", "feature"});
    Git({"-C", repo_, "checkout", "--quiet", "main"});
    store_ = std::move(SqliteStore::Open(dir_.File("rockpool.db"), clock_)).value();
    runtime_.PutInstance("app", {"img", true});
    options_.handover_dir = dir_.path();
  }
  std::string Git(std::vector<std::string> args) {
    args.insert(args.begin(), "git");
    auto r =
        runner_.Run({.argv = args,
                     .env = {"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t",
                             "GIT_COMMITTER_EMAIL=t@t", "HOME=" + dir_.path()}});
    EXPECT_TRUE(r.ok() && r->exit_code == 0) << (r.ok() ? r->output : r.status().ToString());
    std::string out = r.ok() ? r->output : "";
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  // Clones repo_ at `ref` into a new workspace's IDE folder; its source as recorded.
  WorkspaceSource Clone(std::optional<std::string> ref = std::nullopt) {
    Workspace ws{NewUuidV4(), "app", WorkspaceStatus::kRunning, "img", std::nullopt, "", ""};
    (void)store_->workspaces().Delete(last_id_);
    EXPECT_TRUE(store_->workspaces().Insert(ws).ok());
    last_id_ = ws.id;
    WorkspaceSource s;
    s.workspace_id = ws.id;
    s.url = repo_;
    s.ref = std::move(ref);
    s.username = "x";
    EXPECT_TRUE(store_->sources().Insert(s).ok());
    EXPECT_TRUE(SourceCloner(*store_, runtime_, options_).Clone(ws).ok());
    return *store_->sources().Get(ws.id);
  }
  bool Exists(const std::string& path) { return fs::exists(home_ + "/" + path); }
  // Nothing of a clone is left behind but the checkout.
  void ExpectNoLeftovers() {
    EXPECT_FALSE(fs::exists(dir_.File("root/.cache/rockpool-clone")));
    for (const auto& e : fs::directory_iterator(dir_.path())) {
      EXPECT_EQ(e.path().filename().string().rfind("rockpool-clone.", 0), std::string::npos)
          << e.path();
    }
  }

  TempDir dir_;
  RealProcessRunner runner_;
  FakeClock clock_;
  std::unique_ptr<SqliteStore> store_;
  HostRuntime runtime_{dir_.path()};
  CloneOptions options_;
  std::string home_, repo_, first_, last_id_;
};

TEST_F(CloneScriptTest, TheDefaultBranchLandsInTheIdeFolderOwnedByTheWorkspacesUser) {
  WorkspaceSource s = Clone();
  ASSERT_EQ(s.status, SourceStatus::kCloned) << s.error.value_or("");
  EXPECT_TRUE(Exists("workspace/.git"));
  EXPECT_TRUE(Exists("workspace/README.md"));
  EXPECT_FALSE(Exists("workspace/feature.txt"));
  struct stat st {};
  ASSERT_EQ(::stat((home_ + "/workspace/README.md").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 1000u);
  ExpectNoLeftovers();
}

TEST_F(CloneScriptTest, ABranchATagOrACommitIsCheckedOut) {
  ASSERT_EQ(Clone("feature").status, SourceStatus::kCloned);
  EXPECT_TRUE(Exists("workspace/feature.txt"));
  fs::remove_all(home_ + "/workspace");
  ASSERT_EQ(Clone("v1").status, SourceStatus::kCloned);
  EXPECT_FALSE(Exists("workspace/feature.txt"));
  fs::remove_all(home_ + "/workspace");
  WorkspaceSource s = Clone(first_);
  ASSERT_EQ(s.status, SourceStatus::kCloned) << s.error.value_or("");
  EXPECT_TRUE(Exists("workspace/README.md"));
  ExpectNoLeftovers();
}

TEST_F(CloneScriptTest, AMissingRefOrAFolderInUseIsSaidSo) {
  WorkspaceSource missing = Clone("nope");
  EXPECT_EQ(missing.status, SourceStatus::kFailed);
  EXPECT_EQ(missing.error_kind, CloneError::kMissingRef) << missing.error.value_or("");
  EXPECT_FALSE(Exists("workspace/README.md"));
  std::ofstream(home_ + "/workspace/mine.txt") << "the user's\n";
  WorkspaceSource busy = Clone();
  EXPECT_EQ(busy.status, SourceStatus::kFailed);
  EXPECT_THAT(busy.error.value_or(""), HasSubstr("is not empty"));
  EXPECT_TRUE(Exists("workspace/mine.txt")) << "nothing of the user's is touched";
  ExpectNoLeftovers();
}

TEST_F(CloneScriptTest, DotfilesAreLinkedOrInstalled) {
  std::ofstream(repo_ + "/.vimrc") << "set number\n";
  Git({"-C", repo_, "add", "."});
  Git({"-C", repo_, "commit", "--quiet", "-m", "dotfiles"});
  options_.dotfiles_url = repo_;
  Workspace ws{NewUuidV4(), "app", WorkspaceStatus::kRunning, "img", std::nullopt, "", ""};
  SourceCloner(*store_, runtime_, options_).ApplyDotfiles(ws);
  EXPECT_TRUE(fs::is_symlink(home_ + "/.vimrc"));
  EXPECT_FALSE(Exists(".git"));

  std::ofstream(repo_ + "/install.sh") << "#!/bin/sh\necho installed > \"$HOME/installed\"\n";
  Git({"-C", repo_, "add", "."});
  Git({"-C", repo_, "commit", "--quiet", "-m", "install"});
  fs::remove_all(home_ + "/.dotfiles");
  SourceCloner(*store_, runtime_, options_).ApplyDotfiles(ws);
  EXPECT_TRUE(Exists("installed"));
}

}  // namespace
}  // namespace rockpool
