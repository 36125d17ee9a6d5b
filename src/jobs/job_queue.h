// JobQueue: the lease protocol of the durable queue of lifecycle jobs, on the store's
// JobRepository. The jobs are kept beside the workspaces so a state change and the job that
// carries it out commit together (Enqueue inside that Store::Transaction). The queue adds its
// policy to the repository's primitives: lease length, how many attempts, the backoff between
// them, and taking jobs over from dead workers.
//
// A worker Claims a job (leased to it for `lease`), Heartbeats while it works, and then
// Completes it, Retries it (queued again after a backoff) or Fails it for good. A worker that
// dies simply stops heartbeating: once the lease expires the job is claimed again, or at once
// when TakeOverFrom finds its owner dead. Every call after Claim is fenced by the lease: when
// another worker has taken the job over, the call answers Conflict and the caller must drop
// its result.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "store/job_repository.h"

namespace rockpool {

struct JobQueueOptions {
  std::chrono::milliseconds lease{30'000};
  int max_attempts = 5;
  std::chrono::milliseconds backoff_base{2'000};  // delay after the first failed attempt
  std::chrono::milliseconds backoff_max{60'000};
};

class JobQueue {
 public:
  // `jobs` must outlive the queue.
  explicit JobQueue(JobRepository& jobs, JobQueueOptions options = {})
      : jobs_(jobs), options_(options) {}

  // Call inside the Store::Transaction that makes the state change the job carries out.
  Result<Job> Enqueue(const std::string& workspace_id, JobKind kind,
                      const std::optional<std::string>& argument = std::nullopt);
  // The oldest runnable job, leased to `owner`; nullopt when there is none.
  Result<std::optional<Job>> Claim(const std::string& owner);
  Status Heartbeat(const Job& job);
  // Call inside the transaction that records the job's result.
  Status Complete(const Job& job);
  // Queues the job again after BackoffAfter(job.attempts). REQUIRES: !Exhausted(job).
  Status Retry(const Job& job, const std::string& error);
  // Marks the job failed for good; call inside the transaction that records the failure.
  Status Fail(const Job& job, const std::string& error);
  // Hands the job back unfinished without counting the attempt (a worker shutting down).
  Status Release(const Job& job);
  // Ends the leases of running jobs whose owner `is_dead` says no longer runs, so they are
  // claimed now rather than when the lease runs out. Returns how many.
  int TakeOverFrom(const std::function<bool(const std::string& owner)>& is_dead);

  // True when this attempt was the last one allowed.
  bool Exhausted(const Job& job) const { return job.attempts >= job.max_attempts; }
  // True when the claims counted more attempts than allowed: every attempt so far ended with
  // its worker dying (the lease expired each time). Such a job fails without running again.
  bool Abandoned(const Job& job) const { return job.attempts > job.max_attempts; }
  // base * 2^(attempts-1), at most backoff_max.
  std::chrono::milliseconds BackoffAfter(int attempts) const;
  const JobQueueOptions& options() const { return options_; }

 private:
  static const std::string& Owner(const Job& job);

  JobRepository& jobs_;
  JobQueueOptions options_;
};

}  // namespace rockpool
