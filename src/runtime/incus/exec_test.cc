#include "runtime/incus/exec.h"

#include <gtest/gtest.h>

#include "runtime/incus/fake_daemon_test_util.h"

namespace rockpool::incus {
namespace {

using testing::FakeDaemon;
using testing::Fixture;
using testing::Raw;

constexpr char kLogs[] = "/1.0/instances/rp-tpl-rec/logs/exec_dcebe991-a683-4cf6-800c-d4b897605132";

TEST(ExecTest, ReturnsExitCodeAndRecordedOutputThenDeletesTheLogs) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances/rp-tpl-rec/exec", testing::Async("dcebe991"));
  daemon.On("GET", "/1.0/operations/dcebe991/wait", Raw(200, Fixture("exec_wait.json")));
  daemon.On("GET", std::string(kLogs) + ".stdout", Raw(200, "hello\n"));
  daemon.On("GET", std::string(kLogs) + ".stderr", Raw(200, "oops\n"));
  daemon.On("DELETE", "/1.0/instances/rp-tpl-rec/logs/", testing::Sync(Json::object()));

  auto r = ExecInstance(*daemon.Client(), "rp-tpl-rec", {.command = {"sh", "-c", "exit 3"}},
                        std::chrono::seconds(30));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->out, "hello\n");
  EXPECT_EQ(r->err, "oops\n");
  EXPECT_EQ(daemon.Sent("DELETE", std::string(kLogs) + ".stdout").size(), 1u);
  EXPECT_EQ(daemon.Sent("DELETE", std::string(kLogs) + ".stderr").size(), 1u);

  Json body = Json::parse(daemon.Sent("POST", "/1.0/instances/rp-tpl-rec/exec")[0].body);
  EXPECT_EQ(body["wait-for-websocket"], false);
  EXPECT_EQ(body["record-output"], true);
  EXPECT_EQ(body["interactive"], false);
  EXPECT_EQ(body["command"], Json({"sh", "-c", "exit 3"}));
}

TEST(ExecTest, CommandNotFoundIsAResultWithTheDaemonMessage) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances/rp-a/exec", testing::Async("op1"));
  daemon.On("GET", "/1.0/operations/op1/wait",
            testing::Sync({{"status", "Failure"},
                           {"err", "Command not found"},
                           {"metadata", {{"return", 127}, {"output", Json::object()}}}}));
  auto r =
      ExecInstance(*daemon.Client(), "rp-a", {.command = {"nosuch"}}, std::chrono::seconds(30));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 127);
  EXPECT_EQ(r->err, "Command not found");
}

TEST(ExecTest, ExecOnStoppedInstanceNamesTheInstance) {
  FakeDaemon daemon;
  daemon.On("POST", "/1.0/instances/rp-a/exec", testing::Error(400, "Instance is not running"));
  auto r = ExecInstance(*daemon.Client(), "rp-a", {.command = {"true"}}, std::chrono::seconds(5));
  EXPECT_EQ(r.status().message(), "incus: exec in instance rp-a: 400 Instance is not running");
}

}  // namespace
}  // namespace rockpool::incus
