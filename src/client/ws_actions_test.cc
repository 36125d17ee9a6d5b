// The ws commands against a real ApiServer (on a fake service) over loopback HTTP; the
// "worker" is played by the sleep hook, which moves workspaces on as time passes.
#include "client/ws_actions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "api/fake_workspace_service.h"
#include "api/test_server.h"

namespace rockpool::client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class WsActionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<api::TestServer>(service_);
    http_ = server_->NewClient();
    api_ = std::make_unique<ApiClient>(*http_);
    io_.api = api_.get();
    io_.config.api_url = "http://devbox:8080";
    io_.out = &out_;
    io_.err = &err_;
    io_.now = [this] { return now_; };
    io_.sleep = [this](std::chrono::milliseconds d) {
      now_ += d;
      ++sleeps_;
      if (on_sleep_) on_sleep_();
    };
    io_.open_browser = [this](const std::string& url) {
      opened_ = url;
      return Status::Ok();
    };
  }

  api::FakeWorkspaceService service_;
  std::unique_ptr<api::TestServer> server_;
  std::unique_ptr<CurlHttpClient> http_;
  std::unique_ptr<ApiClient> api_;
  std::ostringstream out_, err_;
  WsIo io_;
  std::chrono::steady_clock::time_point now_{};
  int sleeps_ = 0;
  std::function<void()> on_sleep_;
  std::string opened_;
};

TEST_F(WsActionsTest, CreateWaitsUntilRunningAndPrintsTheUrl) {
  on_sleep_ = [this] {
    if (sleeps_ == 2) service_.SetStatus("demo", WorkspaceStatus::kRunning);
  };
  ASSERT_TRUE(WsCreate(io_, "demo", "", {}, {}).ok());
  EXPECT_EQ(out_.str(), "workspace demo is running: http://devbox:8081/workspace/demo/\n");
  EXPECT_EQ(err_.str(), "demo: creating\ndemo: running\n");
  EXPECT_EQ(sleeps_, 2);
}

TEST_F(WsActionsTest, CreateWithNoWaitReturnsAtOnce) {
  ASSERT_TRUE(WsCreate(io_, "demo", "", {}, {.wait = false}).ok());
  EXPECT_EQ(out_.str(), "workspace demo is creating\n");
  EXPECT_EQ(sleeps_, 0);
}

TEST_F(WsActionsTest, CreateAsksForTheLimitsGivenAndShowPrintsTheEffectiveOnes) {
  ASSERT_TRUE(WsCreate(io_, "demo", "", {.cpus = 1.5, .disk_gib = 20}, {.wait = false}).ok());
  EXPECT_EQ(service_.Get("demo")->limits, (WorkspaceLimits{1.5, 2048, 1024, 20}));
  out_.str("");
  ASSERT_TRUE(WsShow(io_, "demo").ok());
  EXPECT_THAT(out_.str(), HasSubstr("cpus:          1.5 cores\n"));
  EXPECT_THAT(out_.str(), HasSubstr("memory:        2048 MiB\n"));
  EXPECT_THAT(out_.str(), HasSubstr("processes:     1024\n"));
  EXPECT_THAT(out_.str(), HasSubstr("disk:          20 GiB\n"));
  out_.str("");
  io_.json = true;
  ASSERT_TRUE(WsShow(io_, "demo").ok());
  auto shown = nlohmann::json::parse(out_.str());
  EXPECT_EQ(
      shown["limits"],
      nlohmann::json({{"cpus", 1.5}, {"memoryMib", 2048}, {"processes", 1024}, {"diskGib", 20}}));
}

TEST_F(WsActionsTest, CreateAsksForTheIdleTimeoutAndSetChangesIt) {
  ASSERT_TRUE(WsCreate(io_, "demo", "", {}, {.wait = false}, 2700).ok());
  EXPECT_EQ(service_.Get("demo")->idle_timeout_seconds, 2700);
  out_.str("");
  ASSERT_TRUE(WsSetIdleTimeout(io_, "demo", 0).ok());
  EXPECT_EQ(out_.str(), "workspace demo is never stopped for being idle\n");
  EXPECT_EQ(service_.Get("demo")->idle_timeout_seconds, 0);
  out_.str("");
  ASSERT_TRUE(WsSetIdleTimeout(io_, "demo", std::nullopt).ok());
  EXPECT_EQ(out_.str(),
            "workspace demo stops after 30 min without activity (the server's default)\n");
  EXPECT_EQ(service_.calls().back(), "SetIdleTimeout demo default");
  Status missing = WsSetIdleTimeout(io_, "nope", 60);
  EXPECT_EQ(missing.code(), Code::kNotFound);
  EXPECT_THAT(missing.message(), HasSubstr("set the idle timeout of workspace \"nope\""));
}

TEST_F(WsActionsTest, CreateAboveTheMaximumPassesTheServersMessageOn) {
  Status s = WsCreate(io_, "demo", "", {.memory_mib = 100000}, {});
  EXPECT_EQ(s.code(), Code::kOutOfRange);
  EXPECT_THAT(s.message(), HasSubstr("create workspace \"demo\": 422 limits.memoryMib is 100000"));
  EXPECT_THAT(s.message(), HasSubstr("maximum of 8192 MiB"));
}

TEST_F(WsActionsTest, WaitingStopsOnErrorWithTheReason) {
  on_sleep_ = [this] { service_.SetStatus("demo", WorkspaceStatus::kError, "image not found"); };
  Status s = WsCreate(io_, "demo", "", {}, {});
  EXPECT_EQ(s.code(), Code::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("workspace \"demo\" failed: image not found"));
}

TEST_F(WsActionsTest, WaitingGivesUpAfterTheTimeout) {
  Status s = WsCreate(io_, "demo", "", {}, {.timeout = std::chrono::seconds(5)});
  EXPECT_EQ(s.code(), Code::kDeadlineExceeded);
  EXPECT_THAT(s.message(), HasSubstr("still creating after 5s"));
}

TEST_F(WsActionsTest, RemoveWaitsUntilTheWorkspaceIsGone) {
  service_.Seed("old", WorkspaceStatus::kStopped);
  ASSERT_TRUE(WsRemove(io_, "old", {}).ok()) << err_.str();  // the fake deletes at once
  EXPECT_EQ(out_.str(), "workspace old is deleted\n");
}

TEST_F(WsActionsTest, StopOfAStoppedWorkspacePassesTheServersMessageOn) {
  service_.Seed("old", WorkspaceStatus::kStopped);
  Status s = WsStop(io_, "old", {});
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_THAT(s.message(), HasSubstr("stop workspace \"old\": 409 cannot stop"));
}

TEST_F(WsActionsTest, ListPrintsATableOrJson) {
  service_.Seed("one", WorkspaceStatus::kRunning);
  ASSERT_TRUE(WsList(io_).ok());
  EXPECT_THAT(out_.str(), HasSubstr("NAME  STATUS   OWNER  IMAGE"));
  EXPECT_THAT(out_.str(), HasSubstr("one   running  -      rockpool-workspace"));
  out_.str("");
  io_.json = true;
  ASSERT_TRUE(WsList(io_).ok());
  auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j.at(0)["name"], "one");
}

TEST_F(WsActionsTest, PortsAddListRemove) {
  service_.Seed("one", WorkspaceStatus::kRunning);
  ASSERT_TRUE(WsPortAdd(io_, "one", 3000, "web").ok());
  ASSERT_TRUE(WsPortList(io_, "one").ok());
  ASSERT_TRUE(WsPortRemove(io_, "one", 3000).ok());
  EXPECT_EQ(out_.str(),
            "port 3000 of one is forwarded: http://devbox:8081/workspace/one/port/3000/\n"
            "PORT  LABEL  URL\n"
            "3000  web    http://devbox:8081/workspace/one/port/3000/\n"
            "port 3000 of one is no longer forwarded\n");
}

TEST_F(WsActionsTest, BadPortComesBackAsTheServersValidationMessage) {
  service_.Seed("one", WorkspaceStatus::kRunning);
  Status s = WsPortAdd(io_, "one", 80, std::nullopt);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("400 body.port: 80 is out of range"));
}

TEST_F(WsActionsTest, OpenPrintsTheUrlAndOpensTheBrowserWhenAsked) {
  service_.Seed("one", WorkspaceStatus::kStopped);
  ASSERT_TRUE(WsOpen(io_, "one", true).ok());
  EXPECT_EQ(out_.str(), "http://devbox:8081/workspace/one/\n");
  EXPECT_THAT(err_.str(), HasSubstr("is stopped; start it with `rockpool ws start one`"));
  EXPECT_EQ(opened_, "http://devbox:8081/workspace/one/");
}

TEST_F(WsActionsTest, SnapshotsCreateListRestoreRemove) {
  service_.Seed("one", WorkspaceStatus::kStopped);
  ASSERT_TRUE(WsSnapshotList(io_, "one").ok());
  ASSERT_TRUE(WsSnapshotCreate(io_, "one", "before").ok());
  ASSERT_TRUE(WsSnapshotList(io_, "one").ok());
  ASSERT_TRUE(WsSnapshotRestore(io_, "one", "before").ok());
  ASSERT_TRUE(WsSnapshotRemove(io_, "one", "before").ok());
  EXPECT_EQ(out_.str(),
            "no snapshots; make one with `rockpool ws snapshot create one`\n"
            "snapshot before of one is made\n"
            "NAME    CREATED\n"
            "before  2026-01-02T03:04:05Z\n"
            "workspace one is being restored to snapshot before; start it with "
            "`rockpool ws start one`\n"
            "snapshot before of one is deleted\n");
  EXPECT_THAT(service_.calls(), ::testing::Contains("RestoreSnapshot one before"));
}

TEST_F(WsActionsTest, SnapshotErrorsPassTheServersMessageOn) {
  service_.Seed("one", WorkspaceStatus::kRunning);
  Status s = WsSnapshotRestore(io_, "one", "nope");
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_THAT(s.message(),
              HasSubstr("restore workspace \"one\" to snapshot \"nope\": 409 stop it first"));
  EXPECT_EQ(WsSnapshotRemove(io_, "one", "nope").code(), Code::kNotFound);
}

}  // namespace
}  // namespace rockpool::client

namespace rockpool::client {
namespace {

class WsRepositoryTest : public WsActionsTest {};

TEST_F(WsRepositoryTest, ACreateFromARepositorySaysHowTheCloneWentAndNeverShowsTheToken) {
  on_sleep_ = [this] {
    if (sleeps_ == 1) service_.SetStatus("demo", WorkspaceStatus::kRunning);
  };
  SourceRequest repo{"https://git.example.com/app.git", "main", std::nullopt, "tok-SECRET"};
  ASSERT_TRUE(WsCreate(io_, "demo", "", {}, {}, std::nullopt, repo).ok());
  EXPECT_THAT(out_.str(), HasSubstr("repository https://git.example.com/app.git: clone in "
                                    "progress"));
  out_.str("");
  service_.FailClone("demo", CloneError::kMissingRef, "Remote branch main not found");
  ASSERT_TRUE(WsShow(io_, "demo").ok());
  EXPECT_THAT(out_.str(), HasSubstr("https://git.example.com/app.git @ main (with a token)"));
  EXPECT_THAT(out_.str(), HasSubstr("failed (missing_ref): Remote branch main not found"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("tok-SECRET")));
  io_.json = true;
  out_.str("");
  ASSERT_TRUE(WsShow(io_, "demo").ok());
  EXPECT_THAT(out_.str(), HasSubstr("\"hasToken\": true"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("tok-SECRET")));
}

TEST_F(WsRepositoryTest, CloneRetriesAFailedCloneAndWaitsForItsOutcome) {
  SourceRequest repo{"https://git.example.com/app.git"};
  ASSERT_TRUE(WsCreate(io_, "demo", "", {}, {.wait = false}, std::nullopt, repo).ok());
  service_.SetStatus("demo", WorkspaceStatus::kRunning);
  service_.FailClone("demo", CloneError::kUnreachable, "Could not resolve host");
  out_.str("");
  on_sleep_ = [this] { service_.FailClone("demo", CloneError::kUnreachable, "still down"); };
  Status again = WsClone(io_, "demo", {});
  EXPECT_EQ(again.code(), Code::kUnavailable);
  EXPECT_THAT(out_.str(), HasSubstr("not cloned (unreachable): still down"));
  EXPECT_THAT(out_.str(), HasSubstr("rockpool ws clone demo"));
  EXPECT_EQ(WsClone(io_, "nope", {}).code(), Code::kNotFound);
}

}  // namespace
}  // namespace rockpool::client
