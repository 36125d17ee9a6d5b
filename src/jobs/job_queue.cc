#include "jobs/job_queue.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace rockpool {

const std::string& JobQueue::Owner(const Job& job) {
  static const std::string kNone;
  return job.lease_owner ? *job.lease_owner : kNone;
}

Result<Job> JobQueue::Enqueue(const std::string& workspace_id, JobKind kind,
                              const std::optional<std::string>& argument) {
  return jobs_.Insert({workspace_id, kind, options_.max_attempts, argument});
}

Result<std::optional<Job>> JobQueue::Claim(const std::string& owner) {
  return jobs_.Claim(owner, options_.lease);
}

Status JobQueue::Heartbeat(const Job& job) {
  return jobs_.ExtendLease(job.id, Owner(job), options_.lease);
}

Status JobQueue::Complete(const Job& job) {
  return jobs_.Finish(job.id, Owner(job), JobState::kDone, std::nullopt);
}

Status JobQueue::Retry(const Job& job, const std::string& error) {
  return jobs_.Requeue(job.id, Owner(job), BackoffAfter(job.attempts), error, true);
}

Status JobQueue::Fail(const Job& job, const std::string& error) {
  return jobs_.Finish(job.id, Owner(job), JobState::kFailed, error);
}

Status JobQueue::Release(const Job& job) {
  return jobs_.Requeue(job.id, Owner(job), std::chrono::milliseconds(0), std::nullopt, false);
}

int JobQueue::TakeOverFrom(const std::function<bool(const std::string& owner)>& is_dead) {
  auto jobs = jobs_.ListUnfinished();
  if (!jobs.ok()) {
    spdlog::warn("jobs: list jobs to take over: {}", jobs.status().ToString());
    return 0;
  }
  int taken = 0;
  for (const Job& job : *jobs) {
    if (job.state != JobState::kRunning || !job.lease_owner || !is_dead(*job.lease_owner)) {
      continue;
    }
    // An expired lease is runnable: the next Claim takes the job.
    Status ended = jobs_.ExtendLease(job.id, *job.lease_owner, std::chrono::milliseconds(0));
    if (!ended.ok()) continue;  // finished or taken meanwhile
    spdlog::info("jobs: job {} was leased by {}, which no longer runs; taking it over", job.id,
                 *job.lease_owner);
    ++taken;
  }
  return taken;
}

std::chrono::milliseconds JobQueue::BackoffAfter(int attempts) const {
  auto delay = options_.backoff_base;
  for (int i = 1; i < attempts && delay < options_.backoff_max; ++i) delay *= 2;
  return std::min(delay, options_.backoff_max);
}

}  // namespace rockpool
