// IdleStopper: every `interval`, stops the running workspaces that have been idle for their
// idle timeout (worker/idle_policy.h says what counts as activity) through the normal stop
// path: the workspace goes to `stopping` with the reason ("stopped after 30 min without
// activity", kept in statusReason once stopped) and a stop job is queued, in one transaction,
// only if it is still running with no job in progress. Each pass also records each running
// workspace's last activity in the store (lastActivityAt, idleStopAt in the API), so another
// process and the next control plane see it.
//
// Detection lags the timeout by at most `interval` plus, after the last request, the proxy's
// keep-alive idle timeout (see worker/socket_activity.h).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job_queue.h"
#include "store/clock.h"
#include "store/store.h"
#include "worker/activity.h"
#include "worker/leadership.h"

namespace rockpool {

struct IdleStopperOptions {
  // ROCKPOOL_IDLE_CHECK_INTERVAL; short in tests.
  std::chrono::milliseconds interval{15'000};
  // Where activity is seen; null: no idle stops (e.g. a `rockpool worker` process, which sees
  // no forward-auth checks). Must outlive the stopper.
  ActivitySource* activity = nullptr;
  // Called after a stop job was queued (wakes this process's worker).
  std::function<void()> on_job_queued;
  // Only while this process leads does it stop idle workspaces; every process records the
  // activity it sees, so the leader decides on all of it. Null: this process always leads.
  // Must outlive the stopper.
  const Leadership* leader = nullptr;
};

struct IdleReport {
  std::vector<std::string> stopped;   // workspaces moved to stopping for being idle
  std::vector<std::string> problems;  // errors met on the way (the pass goes on)
};

class IdleStopper {
 public:
  // Every reference must outlive the stopper. Activity is watched from now (see idle_policy.h).
  IdleStopper(Store& store, JobQueue& queue, Clock& clock, IdleStopperOptions options);
  ~IdleStopper();  // Stop()
  IdleStopper(const IdleStopper&) = delete;
  IdleStopper& operator=(const IdleStopper&) = delete;

  // One pass now, on the calling thread. REQUIRES: options.activity is set.
  Result<IdleReport> RunOnce();
  // Runs a pass every `interval` on a thread of its own (none without an activity source).
  void Start();
  void Stop();

 private:
  void Check(const Workspace& ws, const WorkspaceActivity& observed, TimePoint now,
             IdleReport& report);
  // Moves `ws` to stopping with `reason` and queues its stop job, unless it changed meanwhile.
  Result<bool> StopIdle(const Workspace& ws, const std::string& reason);

  Store& store_;
  JobQueue& queue_;
  Clock& clock_;
  const IdleStopperOptions options_;
  const TimePoint watching_since_;

  std::mutex pass_mu_;  // one pass at a time
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace rockpool
