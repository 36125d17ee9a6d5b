// JobRepository: the rows of the durable job queue and the primitive, atomic steps of its lease
// protocol. The protocol itself (lease length, attempts, backoff, taking over from dead
// workers) is jobs/job_queue.h. Every method is safe to call from several threads and several
// processes, and joins the calling thread's Store::Transaction when there is one.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/job.h"

namespace rockpool {

struct NewJob {
  std::string workspace_id;
  JobKind kind = JobKind::kCreate;
  int max_attempts = 5;
  std::optional<std::string> argument;
};

class JobRepository {
 public:
  virtual ~JobRepository() = default;

  virtual Result<Job> Insert(const NewJob& job) = 0;
  virtual Result<Job> Get(int64_t id) = 0;  // NotFound
  // Leases the oldest runnable job to `owner` until now + `lease` and counts an attempt, or
  // returns nullopt. Runnable: queued with run_after reached, or running with an expired
  // lease (its worker died); and no older unfinished job of the same workspace exists, so a
  // workspace's jobs run one at a time, in order. Two callers never get the same job.
  virtual Result<std::optional<Job>> Claim(const std::string& owner,
                                           std::chrono::milliseconds lease) = 0;
  // The following take the lease holder and answer Conflict when `owner` no longer holds the
  // job's lease (it expired and another worker took the job): the caller's work is stale.
  virtual Status ExtendLease(int64_t id, const std::string& owner,
                             std::chrono::milliseconds lease) = 0;
  // Marks the job done or failed (final), keeping `error` as last_error.
  virtual Status Finish(int64_t id, const std::string& owner, JobState final_state,
                        const std::optional<std::string>& error) = 0;
  // Puts the job back in the queue, runnable from now + `delay`. With `count_attempt` false
  // the claim is not counted (a worker shutting down hands its job back).
  virtual Status Requeue(int64_t id, const std::string& owner, std::chrono::milliseconds delay,
                         const std::optional<std::string>& error, bool count_attempt) = 0;
  // Queued and running jobs, oldest first.
  virtual Result<std::vector<Job>> ListUnfinished() = 0;
  virtual Result<std::vector<Job>> ListForWorkspace(const std::string& workspace_id) = 0;
  // Deletes done and failed jobs last changed more than `age` ago; returns how many.
  virtual Result<int> PruneFinished(std::chrono::milliseconds age) = 0;
};

}  // namespace rockpool
