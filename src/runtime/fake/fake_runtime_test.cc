#include "runtime/fake/fake_runtime.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rockpool {
namespace {

using ::testing::ElementsAre;

TEST(FakeRuntime, RecordsCallsAndKeepsInstances) {
  FakeRuntime rt;
  ASSERT_TRUE(rt.Create("test", "rockpool-workspace", {}).ok());
  ASSERT_TRUE(rt.Configure("test", {"/workspace/test"}).ok());
  ASSERT_TRUE(rt.Start("test", {}).ok());
  ASSERT_TRUE(rt.WaitHealthy("test", std::chrono::seconds(1)).ok());
  ASSERT_TRUE(rt.AddPort("test", 3000).ok());
  EXPECT_THAT(rt.calls(),
              ElementsAre("Create test rockpool-workspace", "Configure test /workspace/test",
                          "Start test", "WaitHealthy test", "AddPort test 3000"));
  auto inst = rt.instance("test");
  ASSERT_TRUE(inst);
  EXPECT_TRUE(inst->running);
  EXPECT_EQ(inst->base_path, "/workspace/test");
  EXPECT_EQ(inst->ports.count(3000), 1u);
  EXPECT_TRUE(rt.Inspect("test")->running);
}

TEST(FakeRuntime, CreatingTwiceIsAlreadyExistsAndRemoveIsIdempotent) {
  FakeRuntime rt;
  ASSERT_TRUE(rt.Create("test", "img", {}).ok());
  EXPECT_EQ(rt.Create("test", "img", {}).code(), Code::kAlreadyExists);
  EXPECT_TRUE(rt.Remove("test").ok());
  EXPECT_TRUE(rt.Remove("test").ok());
  EXPECT_EQ(rt.Inspect("test").status().code(), Code::kNotFound);
}

TEST(FakeRuntime, InjectedFailureHitsOnlyTheNamedWorkspaceAndCountsDown) {
  FakeRuntime rt;
  rt.FailOn("Create", "bad", Status::Unavailable("engine down"), 1);
  EXPECT_TRUE(rt.Create("good", "img", {}).ok());
  EXPECT_EQ(rt.Create("bad", "img", {}).code(), Code::kUnavailable);
  EXPECT_TRUE(rt.Create("bad", "img", {}).ok());
}

TEST(FakeRuntime, ListShowsOnlyRockpoolInstances) {
  FakeRuntime rt;
  ASSERT_TRUE(rt.Create("mine", "img", {}).ok());
  rt.PutInstance("foreign", {"img", true, false, std::nullopt, {}});
  auto list = rt.List();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().name, "mine");
  EXPECT_EQ(rt.SocketPath("mine"), "/run/rockpool/sockets/mine.sock");
  EXPECT_EQ(rt.PortSocketPath("mine", 3000), "/run/rockpool/sockets/mine.3000.sock");
}

TEST(FakeRuntime, KeepsCreateLimitsAndAppliesOthersOnlyWhenStartingAStoppedInstance) {
  FakeRuntime rt;
  const WorkspaceLimits small{0.5, 512, 128, 2}, large{2, 4096, 2048, 20};
  ASSERT_TRUE(rt.Create("test", "img", small).ok());
  ASSERT_TRUE(rt.Start("test", small).ok());
  EXPECT_EQ(rt.instance("test")->limits, small);
  EXPECT_EQ(rt.instance("test")->limit_changes, 0);
  ASSERT_TRUE(rt.Start("test", large).ok());  // running: keeps what it has
  EXPECT_EQ(rt.instance("test")->limits, small);
  ASSERT_TRUE(rt.Stop("test").ok());
  ASSERT_TRUE(rt.Start("test", large).ok());
  EXPECT_EQ(rt.instance("test")->limits, large);
  EXPECT_EQ(rt.instance("test")->limit_changes, 1);
}

}  // namespace
}  // namespace rockpool
