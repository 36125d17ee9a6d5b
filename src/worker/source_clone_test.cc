#include "worker/source_clone.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

  TempDir dir_;
  FakeClock clock_;
  FakeRuntime runtime_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<auth::SecretBox> box_;
  CloneOptions options_;
};

TEST_F(SourceCloneTest, TheTokenReachesGitThroughTheEnvironmentOnly) {
  Workspace ws = Seed("https://git.example.com/app.git", true, "main");
  SourceCloner cloner(*store_, runtime_, options_);
  ASSERT_TRUE(cloner.Clone(ws).ok());
  auto runs = runtime_.scripts();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].env.at("RP_GIT_TOKEN"), kToken);
  EXPECT_EQ(runs[0].env.at("RP_GIT_URL"), "https://git.example.com/app.git");
  EXPECT_EQ(runs[0].env.at("RP_GIT_REF"), "main");
  EXPECT_THAT(runs[0].script, Not(HasSubstr(kToken)));
  EXPECT_EQ(Source(ws).status, SourceStatus::kCloned);
  ASSERT_TRUE(cloner.Clone(ws).ok());
  EXPECT_EQ(runtime_.scripts().size(), 1u) << "a cloned source is not cloned again";
}

TEST_F(SourceCloneTest, FailuresAreSortedAndNeverRepeatTheToken) {
  Workspace ws = Seed("https://git.example.com/app.git", true);
  SourceCloner cloner(*store_, runtime_, options_);
  runtime_.RespondToScripts(
      {10, "", std::string("remote: bad token ") + kToken + "\nfatal: Authentication failed\n"});
  ASSERT_TRUE(cloner.Clone(ws).ok());
  WorkspaceSource s = Source(ws);
  EXPECT_EQ(s.status, SourceStatus::kFailed);
  EXPECT_EQ(s.error_kind, CloneError::kAuthentication);
  EXPECT_THAT(*s.error, HasSubstr("Authentication failed"));
  EXPECT_THAT(*s.error, Not(HasSubstr(kToken)));

  ASSERT_TRUE(store_->sources().SetOutcome(ws.id, SourceStatus::kPending, {}, {}).ok());
  runtime_.RespondToScripts({12, "", "rockpool: ref nope did not match any branch"});
  ASSERT_TRUE(cloner.Clone(ws).ok());
  EXPECT_EQ(Source(ws).error_kind, CloneError::kMissingRef);

  ASSERT_TRUE(store_->sources().SetOutcome(ws.id, SourceStatus::kPending, {}, {}).ok());
  runtime_.RespondToScripts({124, "", ""});
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
// workspace's home is a temporary folder.
class CloneScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.File("home");
    fs::create_directories(home_ + "/workspace");
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
  ProcessResult Run(const std::string& script, const std::string& ref = "") {
    auto r = runner_.Run({.argv = {"/bin/sh", "-c", script},
                          .env = {"HOME=" + home_, "RP_GIT_URL=" + repo_, "RP_GIT_REF=" + ref,
                                  "RP_DOTFILES_URL=" + repo_},
                          .cwd = home_});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : ProcessResult{};
  }
  bool Exists(const std::string& path) { return fs::exists(home_ + "/" + path); }

  TempDir dir_;
  RealProcessRunner runner_;
  std::string home_, repo_, first_;
};

TEST_F(CloneScriptTest, TheDefaultBranchLandsInTheIdeFolderAndASecondRunKeepsIt) {
  auto r = Run(SourceCloner::CloneScript());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Exists("workspace/.git"));
  EXPECT_TRUE(Exists("workspace/README.md"));
  EXPECT_FALSE(Exists("workspace/feature.txt"));
  EXPECT_FALSE(Exists(".cache/rockpool/clone"));
  EXPECT_EQ(Run(SourceCloner::CloneScript()).exit_code, 0) << "already there";
}

TEST_F(CloneScriptTest, ABranchATagOrACommitIsCheckedOut) {
  ASSERT_EQ(Run(SourceCloner::CloneScript(), "feature").exit_code, 0);
  EXPECT_TRUE(Exists("workspace/feature.txt"));
  fs::remove_all(home_ + "/workspace");
  ASSERT_EQ(Run(SourceCloner::CloneScript(), "v1").exit_code, 0);
  EXPECT_FALSE(Exists("workspace/feature.txt"));
  fs::remove_all(home_ + "/workspace");
  auto r = Run(SourceCloner::CloneScript(), first_);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Exists("workspace/README.md"));
}

TEST_F(CloneScriptTest, AMissingRefOrAFolderInUseIsSaidSo) {
  auto missing = Run(SourceCloner::CloneScript(), "nope");
  EXPECT_EQ(missing.exit_code, 12);
  EXPECT_EQ(ClassifyCloneError(missing.output), CloneError::kMissingRef);
  fs::remove_all(home_ + "/workspace");
  fs::create_directories(home_ + "/workspace");
  std::ofstream(home_ + "/workspace/mine.txt") << "the user's\n";
  auto busy = Run(SourceCloner::CloneScript());
  EXPECT_EQ(busy.exit_code, 3);
  EXPECT_THAT(busy.output, HasSubstr("is not empty"));
  EXPECT_TRUE(Exists("workspace/mine.txt")) << "nothing of the user's is touched";
}

TEST_F(CloneScriptTest, DotfilesAreLinkedOrInstalled) {
  std::ofstream(repo_ + "/.vimrc") << "set number\n";
  Git({"-C", repo_, "add", "."});
  Git({"-C", repo_, "commit", "--quiet", "-m", "dotfiles"});
  auto linked = Run(SourceCloner::DotfilesScript());
  ASSERT_EQ(linked.exit_code, 0) << linked.output;
  EXPECT_TRUE(fs::is_symlink(home_ + "/.vimrc"));
  EXPECT_FALSE(Exists(".git"));

  std::ofstream(repo_ + "/install.sh") << "#!/bin/sh\necho installed > \"$HOME/installed\"\n";
  Git({"-C", repo_, "add", "."});
  Git({"-C", repo_, "commit", "--quiet", "-m", "install"});
  fs::remove_all(home_ + "/.dotfiles");
  auto installed = Run(SourceCloner::DotfilesScript());
  ASSERT_EQ(installed.exit_code, 0) << installed.output;
  EXPECT_TRUE(Exists("installed"));
}

}  // namespace
}  // namespace rockpool
