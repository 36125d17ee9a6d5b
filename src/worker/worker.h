// Worker: takes lifecycle jobs from the JobQueue and carries them out against the Runtime,
// on `threads` poll loops. While a job runs its lease is extended every lease/3; the job's
// result and the workspace's new status commit in one transaction:
//   create, start -> running; stop -> stopped; delete -> the row is deleted;
//   failure -> retried with backoff, or, once attempts are used up (or the failure is
//   permanent), the workspace goes to `error` with the reason.
// Several workers (threads or processes on one database) never run the same job.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "jobs/job_queue.h"
#include "runtime/runtime.h"
#include "store/store.h"
#include "worker/job_runner.h"

namespace rockpool {

struct WorkerOptions {
  int threads = 2;  // poll loops; 0: none (RunOnce only, e.g. `rockpool serve --no-worker`)
  // Wait when the queue is empty, unless Wake() is called. Another process's jobs (a separate
  // `rockpool worker`, or a job whose backoff ended) are seen within this delay.
  std::chrono::milliseconds idle_delay{500};
  std::string id;  // lease owner prefix; empty: "<host>:<pid>"
  JobRunnerOptions runner;
  // Called after each job attempt with its kind ("create", ...) and duration, e.g. for metrics.
  std::function<void(std::string_view kind, double seconds)> on_job_done;
};

class Worker {
 public:
  // Every reference must outlive the worker.
  Worker(Store& store, JobQueue& queue, Runtime& runtime, WorkerOptions options = {});
  ~Worker();  // Stop()
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Takes over the dead workers' jobs (TakeOverFromDeadWorkers), then starts the poll loops
  // and the heartbeat loop.
  void Start();
  // Graceful: each loop finishes the job it is running, then every thread is joined.
  void Stop();

  // Ends the poll loops' idle wait now: a job was just queued (by this process). Cheap; call it
  // after the transaction that queued the job has committed.
  void Wake();

  // Claims one job and runs it on the calling thread, as `slot`'s owner. False when no job
  // was runnable. (The poll loops call this; tests call it directly.)
  Result<bool> RunOnce(int slot = 0);

  const std::string& id() const { return id_; }

  // Ends the leases held by worker processes of this host that no longer run
  // (JobQueue::TakeOverFrom with jobs/local_owner.h), so their jobs are claimed now rather than
  // when the lease runs out: a control plane restarted after a crash resumes its work at once.
  // Returns how many.
  int TakeOverFromDeadWorkers();

 private:
  struct Active {
    Job job;
    std::atomic<bool> lease_lost{false};
  };
  Status Execute(const Job& job);
  Status RecordSuccess(const Job& job, const Workspace& ws);
  Status RecordFailure(const Job& job, const Workspace& ws, const Status& error);
  void PollLoop(int slot);
  void HeartbeatLoop();
  // Waits up to `d` unless stopping; returns false once stopping.
  bool WaitFor(std::chrono::milliseconds d);
  // Like WaitFor, and also ends when Wake() was called since wakes_ was `seen`.
  bool WaitForJob(uint64_t seen, std::chrono::milliseconds d);

  Store& store_;
  JobQueue& queue_;
  Runtime& runtime_;
  WorkerOptions options_;
  std::string id_;
  JobRunner runner_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                              // guarded by mu_
  uint64_t wakes_ = 0;                                 // guarded by mu_
  std::map<int64_t, std::shared_ptr<Active>> active_;  // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace rockpool
