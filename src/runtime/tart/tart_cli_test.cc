#include "runtime/tart/tart_cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/tart/tart_runtime.h"

namespace rockpool::tart {
namespace {

using ::testing::HasSubstr;

TEST(TartNamesTest, VmNameCarriesThePrefixAndMapsBack) {
  EXPECT_EQ(VmName("alpha"), "rockpool_alpha");
  EXPECT_EQ(WorkspaceOfVm("rockpool_alpha"), "alpha");
  EXPECT_EQ(WorkspaceOfVm("alpha"), std::nullopt) << "not Rockpool's";
  EXPECT_EQ(WorkspaceOfVm("rockpool-workspace"), std::nullopt) << "the image's usual name";
  EXPECT_EQ(WorkspaceOfVm("rockpool_"), std::nullopt);
  EXPECT_EQ(WorkspaceOfVm("rockpool_Bad_Name"), std::nullopt) << "not a workspace name";
  EXPECT_EQ(WorkspaceOfVm("ghcr.io/cirruslabs/rockpool_alpha:latest"), std::nullopt);
}

// The shape Commands/List.swift prints with --format json (Formatter/Format.swift).
constexpr char kList[] = R"([
  {
    "Accessed" : "2026-01-01T10:00:00Z",
    "Disk" : 50,
    "Name" : "rockpool_alpha",
    "Running" : true,
    "Size" : 12,
    "Source" : "local",
    "State" : "running"
  },
  {
    "Accessed" : "2026-01-01T10:00:00Z",
    "Disk" : 50,
    "Name" : "rockpool_beta",
    "Running" : false,
    "Size" : 3,
    "Source" : "local",
    "State" : "suspended"
  },
  {
    "Accessed" : "2026-01-01T10:00:00Z",
    "Disk" : 20,
    "Name" : "ghcr.io/cirruslabs/debian:latest",
    "Running" : false,
    "Size" : 2,
    "Source" : "OCI",
    "State" : "stopped"
  }
])";

TEST(TartListTest, ParsesNamesSourcesAndStates) {
  auto vms = ParseList(kList);
  ASSERT_TRUE(vms.ok()) << vms.status().ToString();
  ASSERT_EQ(vms->size(), 3u);
  EXPECT_EQ((*vms)[0].name, "rockpool_alpha");
  EXPECT_TRUE((*vms)[0].running);
  EXPECT_EQ((*vms)[1].state, "suspended");
  EXPECT_FALSE((*vms)[1].running);
  EXPECT_EQ((*vms)[2].source, "OCI");
  EXPECT_EQ(StatusWord((*vms)[0].state), "Running");
  EXPECT_EQ(StatusWord((*vms)[1].state), "Suspended");
}

TEST(TartListTest, EmptyAndOlderOutput) {
  auto none = ParseList("[\n\n]\n");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  // Before State existed, only Running said it.
  auto old = ParseList(R"([{"Name":"rockpool_a1","Source":"local","Running":true}])");
  ASSERT_TRUE(old.ok());
  EXPECT_TRUE((*old)[0].running);
  EXPECT_EQ((*old)[0].state, "running");
}

TEST(TartListTest, RejectsWhatIsNotAList) {
  EXPECT_EQ(ParseList("Failed to perform garbage collection").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ParseList(R"({"Name":"x"})").status().code(), Code::kInvalidArgument);
  auto nameless = ParseList(R"([{"Source":"local"}])");
  EXPECT_EQ(nameless.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(nameless.status().message(), HasSubstr("without a Name"));
}

TEST(TartErrorsTest, ClassifiesTartsTexts) {
  const std::string vm = "rockpool_alpha";
  EXPECT_EQ(ClassifyFailure({2, "", "the specified VM \"rockpool_alpha\" does not exist\n"}, vm),
            TartFailure::kVmMissing);
  EXPECT_EQ(ClassifyFailure({2, "", "VM \"rockpool_alpha\" is not running\n"}, vm),
            TartFailure::kNotRunning);
  EXPECT_EQ(ClassifyFailure({2, "", "VM \"rockpool_alpha\" is already running!\n"}, vm),
            TartFailure::kAlreadyRunning);
  EXPECT_EQ(ClassifyFailure({1, "", "VM \"rockpool_alpha\" is running\n"}, vm),
            TartFailure::kIsRunning);
  EXPECT_EQ(ClassifyFailure({2, "", "the specified VM \"rockpool_other\" does not exist\n"}, vm),
            TartFailure::kOther)
      << "another VM's text";
  EXPECT_EQ(ClassifyFailure({0, "", ""}, vm), TartFailure::kOther);
}

TEST(TartErrorsTest, FailureNamesTheWorkspaceAndQuotesTart) {
  Status missing = FailureStatus({2, "", "the specified VM \"rockpool_alpha\" does not exist\n"},
                                 {"stop", "rockpool_alpha"}, "alpha", "stop");
  EXPECT_EQ(missing.code(), Code::kNotFound);
  EXPECT_EQ(missing.message(),
            "tart: stop (workspace alpha): `tart stop rockpool_alpha` exited 2: the specified VM "
            "\"rockpool_alpha\" does not exist");
  Status other = FailureStatus({1, "", "Error: LessThanMinimalResourcesError: too small\n"},
                               {"set", "rockpool_alpha", "--memory", "128"}, "alpha", "set");
  EXPECT_EQ(other.code(), Code::kInternal);
  EXPECT_THAT(other.message(), HasSubstr("workspace alpha"));
  EXPECT_THAT(other.message(), HasSubstr("exited 1: Error: LessThanMinimalResourcesError"));
  Status silent = FailureStatus({139, "", ""}, {"ip", "rockpool_alpha"}, "alpha", "ip");
  EXPECT_THAT(silent.message(), HasSubstr("exited 139: (no output)"));
}

TEST(TartRunTest, CapturesOutputErrorAndExitCode) {
  auto r = RunTart("/bin/sh", {"-c", "echo out; echo err >&2; exit 3"}, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
  auto env = RunTart("/bin/sh", {"-c", "printf %s \"$TART_HOME\""}, {"TART_HOME=/x/y"});
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->out, "/x/y");
  auto missing = RunTart("/nonexistent/tart", {"list"}, {});
  EXPECT_EQ(missing.status().code(), Code::kUnavailable);
  EXPECT_THAT(missing.status().message(), HasSubstr("install Tart"));
}

TEST(TartConfigTest, SameKeysAsTheLinuxImageButListensOnTheVmNetwork) {
  std::string yaml = RenderTartCodeServerConfig({.base_path = "/workspace/alpha"}, 8080);
  EXPECT_EQ(yaml,
            "bind-addr: 0.0.0.0:8080\nauth: none\ndisable-telemetry: true\n"
            "disable-update-check: true\nabs-proxy-base-path: \"/workspace/alpha\"\n");
  auto cmd = ConfigureCommand("rockpool_alpha", yaml);
  ASSERT_GE(cmd.size(), 4u);
  EXPECT_EQ(cmd[0], "exec");
  EXPECT_EQ(cmd[1], "rockpool_alpha");
  EXPECT_EQ(cmd.back(), yaml) << "passed as an argument, never through a shell's parsing";
  EXPECT_THAT(cmd[4], HasSubstr("/etc/rockpool/code-server.yaml"));
  EXPECT_THAT(cmd[4], HasSubstr("systemctl restart code-server"));
}

}  // namespace
}  // namespace rockpool::tart
