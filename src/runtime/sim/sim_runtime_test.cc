#include "runtime/sim/sim_runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace rockpool {
namespace {

SimRuntimeOptions Instant() {
  SimRuntimeOptions o;
  o.delay_scale = 0;
  o.images = {"rockpool-workspace"};
  return o;
}

WorkspaceLimits Limits(int cpus) {
  WorkspaceLimits l;
  l.cpus = cpus;
  return l;
}

TEST(SimRuntimeTest, CreateMakesAStoppedInstanceAndRefusesADuplicate) {
  SimRuntime rt(Instant());
  ASSERT_TRUE(rt.Create("alpha", "rockpool-workspace", {}).ok());
  auto info = rt.Inspect("alpha");
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_FALSE(info->running);
  EXPECT_EQ(info->status, "Stopped");
  Status again = rt.Create("alpha", "rockpool-workspace", {});
  EXPECT_EQ(again.code(), Code::kAlreadyExists) << again.message();
  EXPECT_NE(again.message().find("\"alpha\""), std::string::npos) << again.message();
}

TEST(SimRuntimeTest, UnknownImageIsNotFoundAndNamesTheKnownOnes) {
  SimRuntime rt(Instant());
  EXPECT_TRUE(rt.CheckImage("rockpool-workspace").ok());
  Status missing = rt.CheckImage("nope");
  EXPECT_EQ(missing.code(), Code::kNotFound);
  EXPECT_NE(missing.message().find("rockpool-workspace"), std::string::npos);
  EXPECT_EQ(rt.Create("alpha", "nope", {}).code(), Code::kNotFound);
  EXPECT_EQ(rt.Inspect("alpha").status().code(), Code::kNotFound);
}

TEST(SimRuntimeTest, EveryImageIsKnownWhenNoneAreListed) {
  SimRuntimeOptions o = Instant();
  o.images.clear();
  SimRuntime rt(o);
  EXPECT_TRUE(rt.CheckImage("anything").ok());
}

TEST(SimRuntimeTest, StartAndStopAreIdempotentAndReportRunning) {
  SimRuntime rt(Instant());
  ASSERT_TRUE(rt.Create("alpha", "rockpool-workspace", {}).ok());
  EXPECT_EQ(rt.WaitHealthy("alpha", std::chrono::seconds(1)).code(), Code::kUnavailable);
  ASSERT_TRUE(rt.Start("alpha", {}).ok());
  ASSERT_TRUE(rt.Start("alpha", {}).ok());
  auto info = rt.Inspect("alpha");
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->running);
  EXPECT_EQ(info->status, "Running");
  EXPECT_FALSE(info->address.empty());
  EXPECT_TRUE(rt.WaitHealthy("alpha", std::chrono::seconds(1)).ok());
  ASSERT_TRUE(rt.Stop("alpha").ok());
  ASSERT_TRUE(rt.Stop("alpha").ok());
  EXPECT_FALSE(rt.Inspect("alpha")->running);
}

TEST(SimRuntimeTest, MissingInstanceIsNotFoundButRemoveIsOk) {
  SimRuntime rt(Instant());
  EXPECT_EQ(rt.Start("ghost", {}).code(), Code::kNotFound);
  EXPECT_EQ(rt.Stop("ghost").code(), Code::kNotFound);
  EXPECT_EQ(rt.Configure("ghost", {"/workspace/ghost"}).code(), Code::kNotFound);
  EXPECT_EQ(rt.AddPort("ghost", 3000).code(), Code::kNotFound);
  EXPECT_EQ(rt.WaitHealthy("ghost", std::chrono::seconds(1)).code(), Code::kNotFound);
  EXPECT_TRUE(rt.Remove("ghost").ok());
}

TEST(SimRuntimeTest, RemoveDeletesARunningInstanceAndListShowsTheRest) {
  SimRuntime rt(Instant());
  ASSERT_TRUE(rt.Create("alpha", "rockpool-workspace", {}).ok());
  ASSERT_TRUE(rt.Create("beta", "rockpool-workspace", {}).ok());
  ASSERT_TRUE(rt.Start("alpha", {}).ok());
  ASSERT_TRUE(rt.Remove("alpha").ok());
  auto all = rt.List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].name, "beta");
}

TEST(SimRuntimeTest, StartOfAStoppedInstanceAppliesItsLimitsButARunningOneKeepsItsOwn) {
  SimRuntime rt(Instant());
  ASSERT_TRUE(rt.Create("alpha", "rockpool-workspace", Limits(1)).ok());
  ASSERT_TRUE(rt.Start("alpha", Limits(2)).ok());
  EXPECT_EQ(rt.LimitsOf("alpha")->cpus, 2);
  ASSERT_TRUE(rt.Start("alpha", Limits(4)).ok());
  EXPECT_EQ(rt.LimitsOf("alpha")->cpus, 2);
}

TEST(SimRuntimeTest, PortsAreIdempotentAndValidated) {
  SimRuntime rt(Instant());
  ASSERT_TRUE(rt.Create("alpha", "rockpool-workspace", {}).ok());
  ASSERT_TRUE(rt.AddPort("alpha", 3000).ok());
  ASSERT_TRUE(rt.AddPort("alpha", 3000).ok());
  EXPECT_EQ(*rt.PortsOf("alpha"), std::set<int>{3000});
  EXPECT_EQ(rt.AddPort("alpha", 70000).code(), Code::kInvalidArgument);
  ASSERT_TRUE(rt.RemovePort("alpha", 3000).ok());
  ASSERT_TRUE(rt.RemovePort("alpha", 3000).ok());
  EXPECT_TRUE(rt.PortsOf("alpha")->empty());
}

TEST(SimRuntimeTest, SocketPathsFollowTheSharedNamingAndAreNeverCreated) {
  SimRuntimeOptions o = Instant();
  o.socket_dir = "/nonexistent/dev";
  SimRuntime rt(o);
  EXPECT_EQ(rt.SocketPath("alpha"), "/nonexistent/dev/alpha.sock");
  EXPECT_EQ(rt.PortSocketPath("alpha", 3000), "/nonexistent/dev/alpha.3000.sock");
}

TEST(SimRuntimeTest, FailStartHookFailsOnlyTheNamedWorkspaceWithItsMessage) {
  SimRuntimeOptions o = Instant();
  o.fail_start = {{"broken", "no space left on device"}};
  SimRuntime rt(o);
  ASSERT_TRUE(rt.Create("broken", "rockpool-workspace", {}).ok());
  ASSERT_TRUE(rt.Create("fine", "rockpool-workspace", {}).ok());
  Status failed = rt.Start("broken", {});
  EXPECT_EQ(failed.code(), Code::kUnavailable);
  EXPECT_NE(failed.message().find("no space left on device"), std::string::npos);
  EXPECT_FALSE(rt.Inspect("broken")->running);
  EXPECT_TRUE(rt.Start("fine", {}).ok());
}

TEST(SimRuntimeTest, ParseFailStartReadsLinesAndRefusesMalformedOnes) {
  auto ok = ParseFailStart("a=disk full\nbb=x=y\n");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->at("a"), "disk full");
  EXPECT_EQ(ok->at("bb"), "x=y");
  EXPECT_TRUE(ParseFailStart("")->empty());
  for (const char* bad : {"noequals", "=msg", "name="}) {
    auto r = ParseFailStart(bad);
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << bad;
  }
}

TEST(SimRuntimeTest, DelaysScaleWithTheFactor) {
  SimRuntimeOptions o = Instant();
  o.delay_scale = 0.1;  // create 150 ms, start 100 ms
  SimRuntime rt(o);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(rt.Create("alpha", "rockpool-workspace", {}).ok());
  ASSERT_TRUE(rt.Start("alpha", {}).ok());
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(took, std::chrono::milliseconds(250));
  EXPECT_LT(took, std::chrono::milliseconds(2000));
}

TEST(SimRuntimeTest, ConcurrentCreatesOfOneNameLetExactlyOneWin) {
  SimRuntimeOptions o = Instant();
  o.delay_scale = 0.01;
  SimRuntime rt(o);
  std::atomic<int> won{0};
  std::atomic<int> exists{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      Status s = rt.Create("alpha", "rockpool-workspace", {});
      if (s.ok()) ++won;
      if (s.code() == Code::kAlreadyExists) ++exists;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(exists.load(), 7);
}

TEST(SimRuntimeTest, StartWhileCreatingIsAConflictNotARace) {
  SimRuntimeOptions o = Instant();
  o.delay_scale = 0.2;  // create takes 300 ms
  SimRuntime rt(o);
  std::thread creator([&] { ASSERT_TRUE(rt.Create("alpha", "rockpool-workspace", {}).ok()); });
  // Polls until the record exists, then asks to start while the create still runs.
  while (rt.Inspect("alpha").status().code() == Code::kNotFound) std::this_thread::yield();
  EXPECT_EQ(rt.Start("alpha", {}).code(), Code::kConflict);
  creator.join();
  EXPECT_TRUE(rt.Start("alpha", {}).ok());
}

}  // namespace
}  // namespace rockpool
