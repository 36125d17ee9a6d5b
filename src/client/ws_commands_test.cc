// The CLI11 wiring of `rockpool ws`: flags reach the commands, from any position.
#include "client/ws_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/fake_workspace_service.h"
#include "api/test_server.h"

namespace rockpool::client {
namespace {

using ::testing::HasSubstr;

// Parses `args` as `rockpool <args>`; returns the exit code CLI11 would give.
int RunCli(std::vector<std::string> args) {
  CLI::App app{"test", "rockpool"};
  AddWorkspaceCommands(app);
  std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}

TEST(WsCommandsTest, PortAddWithFlagsAfterTheArguments) {
  api::FakeWorkspaceService service;
  service.Seed("demo", WorkspaceStatus::kRunning);
  api::TestServer server(service);
  ::testing::internal::CaptureStdout();
  int rc = RunCli({"ws", "port", "add", "demo", "3000", "--label", "web", "--api-url", server.url(),
                   "--json", "--user", api::kTestUser, "--password", api::kTestPassword});
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  EXPECT_THAT(out, HasSubstr("\"label\": \"web\""));
  EXPECT_THAT(service.calls(), ::testing::Contains("AddPort demo 3000"));
}

TEST(WsCommandsTest, CreateTakesLimitFlagsAndLeavesTheOthersToTheServer) {
  api::FakeWorkspaceService service;
  api::TestServer server(service);
  ::testing::internal::CaptureStdout();
  int rc = RunCli({"ws", "create", "demo", "--cpus", "0.5", "--processes", "256", "--no-wait",
                   "--api-url", server.url(), "--user", api::kTestUser, "--password",
                   api::kTestPassword});
  ::testing::internal::GetCapturedStdout();
  ASSERT_EQ(rc, 0);
  auto created = service.Get("demo");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->limits, (WorkspaceLimits{0.5, 2048, 256, 10}));
}

TEST(WsCommandsTest, ServerErrorExitsOneWithTheMessage) {
  api::FakeWorkspaceService service;
  api::TestServer server(service);
  ::testing::internal::CaptureStderr();
  int rc = RunCli({"ws", "--api-url", server.url(), "--user", api::kTestUser, "--password",
                   api::kTestPassword, "show", "nobody"});
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(rc, 1);
  EXPECT_THAT(err,
              HasSubstr("error: get workspace \"nobody\": 404 workspace \"nobody\" not found"));
}

TEST(WsCommandsTest, WrongCredentialsGetTheServersMessageOnHowToSignIn) {
  api::FakeWorkspaceService service;
  api::TestServer server(service);
  ::testing::internal::CaptureStderr();
  int rc = RunCli({"ws", "--api-url", server.url(), "--user", api::kTestUser, "--password", "wrong",
                   "show", "nobody"});
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(rc, 1);
  EXPECT_THAT(err, HasSubstr("401 the username or password is wrong"));
  EXPECT_THAT(err, HasSubstr("--user and --password, or ROCKPOOL_USERNAME and ROCKPOOL_PASSWORD"));
}

TEST(WsCommandsTest, SnapshotCommandsTakeTheWorkspaceAndTheSnapshotName) {
  api::FakeWorkspaceService service;
  service.Seed("demo", WorkspaceStatus::kStopped);
  api::TestServer server(service);
  const std::vector<std::string> auth = {"--api-url",    server.url(), "--user",
                                         api::kTestUser, "--password", api::kTestPassword};
  auto with_auth = [&](std::vector<std::string> args) {
    args.insert(args.end(), auth.begin(), auth.end());
    return args;
  };
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(RunCli(with_auth({"ws", "snapshot", "create", "demo", "keep"})), 0);
  EXPECT_EQ(RunCli(with_auth({"ws", "snapshot", "create", "demo"})), 0);
  EXPECT_EQ(RunCli(with_auth({"ws", "snapshot", "ls", "demo"})), 0);
  EXPECT_EQ(RunCli(with_auth({"ws", "snapshot", "restore", "demo", "keep"})), 0);
  EXPECT_EQ(RunCli(with_auth({"ws", "snapshot", "rm", "demo", "keep"})), 0);
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_THAT(out, HasSubstr("keep    2026-01-02T03:04:05Z"));
  EXPECT_THAT(service.calls(),
              ::testing::IsSupersetOf({"CreateSnapshot demo keep", "CreateSnapshot demo ",
                                       "ListSnapshots demo", "RestoreSnapshot demo keep",
                                       "DeleteSnapshot demo keep"}));
  EXPECT_NE(RunCli({"ws", "snapshot", "restore", "demo"}), 0);  // the snapshot is required
}

}  // namespace
}  // namespace rockpool::client
