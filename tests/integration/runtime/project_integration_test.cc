// A deployment's LXD project on the real daemon (runtime/incus/projects.h): it is made with
// its profile and owner, refused to another deployment, and an upgrade from before projects
// moves that deployment's own instances out of the default project with their files and
// state, leaving everyone else's where they are.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "runtime/incus/exec.h"
#include "runtime/incus/images.h"
#include "runtime/incus/incus_client.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/instance_state.h"
#include "runtime/incus/instances.h"
#include "runtime/incus/projects.h"
#include "runtime/incus/socket.h"
#include "tests/integration/test_project.h"

namespace rockpool::incus {
namespace {

using std::chrono::seconds;

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

class ProjectIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(testing_env::EngineTestProject(), "") << testing_env::kNoProject;
    auto socket = DetectSocket();
    ASSERT_TRUE(socket.ok()) << socket.status().message();
    daemon_ = IncusClient::ForSocket(*socket);
    auto alias = GetImageAliasTarget(*daemon_, "rockpool-workspace");
    ASSERT_TRUE(alias.ok() && alias->has_value()) << "no image rockpool-workspace";
    fingerprint_ = **alias;
    const std::string id = std::to_string(getpid());
    spec_ = {.name = "rpt-proj-" + id,
             .owner = "/tmp/rockpool-project-test-" + id,
             .pool = Env("ROCKPOOL_POOL", "rockpool"),
             // A bridge of its own, which EnsureProject makes: deployments do not share one.
             .network = "rpp" + std::to_string(getpid() % 100000),
             .subnet = "10.251." + std::to_string(getpid() % 250) + ".1/24"};
  }

  void TearDown() override {
    if (!daemon_) return;
    Status deleted = DeleteProject(*daemon_, spec_.name, spec_.owner, seconds(120));
    EXPECT_TRUE(deleted.ok()) << deleted.message();
    auto in_default = daemon_->InProject("default");
    for (const std::string& name : made_in_default_) {
      (void)PutInstanceState(*in_default, name, {.action = "stop", .timeout = -1, .force = true},
                             seconds(60));
      (void)DeleteInstance(*in_default, name, seconds(60));
    }
    (void)daemon_->Call({.method = "DELETE", .path = "/1.0/networks/" + spec_.network});
  }

  // An instance as a deployment from before projects made it: in the default project,
  // labelled as Rockpool's, with no NIC (it needs none here).
  void MakeInDefault(const std::string& name, bool start) {
    made_in_default_.push_back(name);
    auto in_default = daemon_->InProject("default");
    InstancesPost post{
        .name = name,
        .profiles = {},
        .source = {.type = "image", .fingerprint = fingerprint_},
        .config = {{kLabelManaged, "true"}, {kLabelWorkspace, name}},
        .devices = {{"root", {{"type", "disk"}, {"path", "/"}, {"pool", spec_.pool}}}}};
    ASSERT_TRUE(CreateInstance(*in_default, post, seconds(120)).ok());
    if (start) {
      ASSERT_TRUE(PutInstanceState(*in_default, name, {.action = "start"}, seconds(120)).ok());
    }
  }

  std::shared_ptr<IncusClient> daemon_;
  std::string fingerprint_;
  ProjectSpec spec_;
  std::vector<std::string> made_in_default_;
};

TEST_F(ProjectIntegrationTest, IsMadeWithItsProfileAndRefusedToAnotherDeployment) {
  ASSERT_TRUE(EnsureProject(*daemon_, spec_).ok());
  ASSERT_TRUE(EnsureProject(*daemon_, spec_).ok()) << "not idempotent";
  EXPECT_TRUE(CheckProject(*daemon_, spec_.name, spec_.owner).ok());
  auto profile = daemon_->Call({.path = "/1.0/profiles/default?project=" + spec_.name});
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->metadata["devices"]["root"]["pool"], spec_.pool);
  EXPECT_EQ(profile->metadata["devices"]["eth0"]["network"], spec_.network);
  auto bridge = daemon_->Call({.path = "/1.0/networks/" + spec_.network});
  ASSERT_TRUE(bridge.ok()) << "the missing bridge was not made";
  EXPECT_EQ(bridge->metadata["config"]["ipv4.address"], spec_.subnet);

  // Another deployment may not put its workspaces on this deployment's bridge.
  ProjectSpec neighbour = spec_;
  neighbour.name = spec_.name + "-n";
  neighbour.owner = "/srv/a-neighbour";
  Status shared = EnsureProject(*daemon_, neighbour);
  EXPECT_EQ(shared.code(), Code::kConflict) << shared.message();
  EXPECT_EQ(daemon_->Call({.path = "/1.0/projects/" + neighbour.name}).status().code(),
            Code::kNotFound);

  ProjectSpec other = spec_;
  other.owner = "/srv/another-rockpool";
  Status refused = EnsureProject(*daemon_, other);
  EXPECT_EQ(refused.code(), Code::kConflict) << refused.message();
  EXPECT_EQ(CheckProject(*daemon_, spec_.name, other.owner).code(), Code::kConflict);
  EXPECT_EQ(DeleteProject(*daemon_, spec_.name, other.owner, seconds(30)).code(), Code::kConflict);
  EXPECT_TRUE(CheckProject(*daemon_, spec_.name, spec_.owner).ok()) << "the refusal removed it";
}

TEST_F(ProjectIntegrationTest, UpgradeMovesOnlyTheDeploymentsOwnInstancesWithFilesAndState) {
  const std::string id = std::to_string(getpid());
  const std::string mine = "rp-adopt-" + id;
  const std::string theirs = "rp-theirs-" + id;
  MakeInDefault(mine, /*start=*/true);
  MakeInDefault(theirs, /*start=*/false);
  auto in_default = daemon_->InProject("default");
  auto wrote = ExecInstance(*in_default, mine,
                            {.command = {"sh", "-c", "echo kept > /root/kept.txt"}}, seconds(60));
  ASSERT_TRUE(wrote.ok() && wrote->exit_code == 0);

  ASSERT_TRUE(EnsureProject(*daemon_, spec_).ok());
  auto moved = AdoptInstances(
      *daemon_, "default", spec_.name, [&](const std::string& n) { return n == mine; },
      seconds(180));
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  EXPECT_EQ(*moved, std::vector<std::string>{mine});

  auto in_project = daemon_->InProject(spec_.name);
  auto there = GetInstance(*in_project, mine, false);
  ASSERT_TRUE(there.ok()) << there.status().message();
  EXPECT_TRUE(there->running()) << "a running instance runs again after the move";
  auto kept = ExecInstance(*in_project, mine, {.command = {"cat", "/root/kept.txt"}}, seconds(60));
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->out, "kept\n");
  EXPECT_EQ(GetInstance(*in_default, mine, false).status().code(), Code::kNotFound);
  EXPECT_TRUE(GetInstance(*in_default, theirs, false).ok()) << "someone else's instance moved";

  auto again = AdoptInstances(
      *daemon_, "default", spec_.name, [&](const std::string& n) { return n == mine; },
      seconds(60));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty()) << "a second pass moved something";
}

}  // namespace
}  // namespace rockpool::incus
