// Shared set-up of the worker tests: a temp SQLite store, the queue, the service that puts
// work in it, and a FakeRuntime, all on a FakeClock.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>

#include "jobs/job_queue.h"
#include "runtime/fake/fake_runtime.h"
#include "service/workspace_service_impl.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"

namespace rockpool {

// Polls `pred` until it holds or `timeout` passes.
template <typename Pred>
bool Eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

class WorkerTestBase : public ::testing::Test {
 protected:
  void SetUp() override {
    Build({std::chrono::seconds(30), 3, std::chrono::seconds(2), std::chrono::seconds(10)});
  }

  void Build(JobQueueOptions jobs) {
    store_ = std::move(SqliteStore::Open(dir_.File("rockpool.db"), clock_)).value();
    queue_ = std::make_unique<JobQueue>(store_->jobs(), jobs);
    service_ = std::make_unique<WorkspaceServiceImpl>(*store_, *queue_, runtime_);
  }

  Workspace Get(const std::string& name) {
    auto ws = store_->workspaces().GetByName(name);
    EXPECT_TRUE(ws.ok()) << ws.status().ToString();
    return ws.ok() ? *ws : Workspace{};
  }
  bool Exists(const std::string& name) { return store_->workspaces().GetByName(name).ok(); }

  int CountIn(WorkspaceStatus status) {
    auto counts = store_->workspaces().CountByStatus();
    return counts.ok() && counts->count(status) > 0 ? counts->at(status) : 0;
  }

  size_t CountCalls(const std::string& prefix) {
    auto calls = runtime_.calls();
    return static_cast<size_t>(std::count_if(
        calls.begin(), calls.end(), [&](const auto& c) { return c.rfind(prefix, 0) == 0; }));
  }

  TempDir dir_;
  FakeClock clock_;
  FakeRuntime runtime_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<WorkspaceServiceImpl> service_;
};

}  // namespace rockpool
