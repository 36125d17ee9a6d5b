#include "jobs/job_queue.h"

#include <algorithm>

namespace rockpool {

const std::string& JobQueue::Owner(const Job& job) {
  static const std::string kNone;
  return job.lease_owner ? *job.lease_owner : kNone;
}

Result<Job> JobQueue::Enqueue(const std::string& workspace_id, JobKind kind) {
  return store_.InsertJob({workspace_id, kind, options_.max_attempts});
}

Result<std::optional<Job>> JobQueue::Claim(const std::string& owner) {
  return store_.ClaimJob(owner, options_.lease);
}

Status JobQueue::Heartbeat(const Job& job) {
  return store_.ExtendLease(job.id, Owner(job), options_.lease);
}

Status JobQueue::Complete(const Job& job) {
  return store_.FinishJob(job.id, Owner(job), JobState::kDone, std::nullopt);
}

Status JobQueue::Retry(const Job& job, const std::string& error) {
  return store_.RequeueJob(job.id, Owner(job), BackoffAfter(job.attempts), error, true);
}

Status JobQueue::Fail(const Job& job, const std::string& error) {
  return store_.FinishJob(job.id, Owner(job), JobState::kFailed, error);
}

Status JobQueue::Release(const Job& job) {
  return store_.RequeueJob(job.id, Owner(job), std::chrono::milliseconds(0), std::nullopt, false);
}

std::chrono::milliseconds JobQueue::BackoffAfter(int attempts) const {
  auto delay = options_.backoff_base;
  for (int i = 1; i < attempts && delay < options_.backoff_max; ++i) delay *= 2;
  return std::min(delay, options_.backoff_max);
}

}  // namespace rockpool
