#include "worker/worker.h"

#include <spdlog/spdlog.h>

#include "jobs/local_owner.h"

namespace rockpool {
namespace {

WorkspaceStatus StatusAfter(JobKind kind) {
  return kind == JobKind::kStop || kind == JobKind::kRestore ? WorkspaceStatus::kStopped
                                                             : WorkspaceStatus::kRunning;
}

}  // namespace

Worker::Worker(Store& store, JobQueue& queue, Runtime& runtime, WorkerOptions options)
    : store_(store),
      queue_(queue),
      runtime_(runtime),
      options_(std::move(options)),
      id_(options_.id.empty() ? LocalWorkerId() : options_.id),
      runner_(store, runtime, options_.runner) {}

Worker::~Worker() { Stop(); }

int Worker::TakeOverFromDeadWorkers() { return queue_.TakeOverFrom(IsDeadLocalOwner); }

void Worker::Start() {
  std::lock_guard lock(mu_);
  if (!threads_.empty() || options_.threads <= 0) return;
  (void)TakeOverFromDeadWorkers();
  stopping_ = false;
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this, i] { PollLoop(i); });
  }
  threads_.emplace_back([this] { HeartbeatLoop(); });
}

void Worker::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads) t.join();
}

bool Worker::WaitFor(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, d, [&] { return stopping_; });
  return !stopping_;
}

bool Worker::WaitForJob(uint64_t seen, std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, d, [&] { return stopping_ || wakes_ != seen; });
  return !stopping_;
}

void Worker::Wake() {
  {
    std::lock_guard lock(mu_);
    ++wakes_;
  }
  cv_.notify_all();
}

void Worker::PollLoop(int slot) {
  for (;;) {
    uint64_t seen = 0;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      seen = wakes_;  // before the claim: a job queued during it ends the wait below at once
    }
    auto ran = RunOnce(slot);
    if (!ran.ok()) spdlog::warn("worker {}: {}", id_, ran.status().ToString());
    if (ran.ok() && *ran) continue;
    if (!WaitForJob(seen, options_.idle_delay)) return;
  }
}

void Worker::HeartbeatLoop() {
  const auto interval = std::max(queue_.options().lease / 3, std::chrono::milliseconds(10));
  while (WaitFor(interval)) {
    std::vector<std::shared_ptr<Active>> active;
    {
      std::lock_guard lock(mu_);
      for (auto& [id, a] : active_) active.push_back(a);
    }
    for (auto& a : active) {
      Status st = queue_.Heartbeat(a->job);
      if (st.code() == Code::kConflict) {
        a->lease_lost = true;
        spdlog::warn("worker {}: lost the lease of job {}: {}", id_, a->job.id, st.ToString());
      } else if (!st.ok()) {
        spdlog::warn("worker {}: heartbeat of job {}: {}", id_, a->job.id, st.ToString());
      }
    }
  }
}

Result<bool> Worker::RunOnce(int slot) {
  RP_ASSIGN_OR_RETURN(auto job, queue_.Claim(id_ + "/" + std::to_string(slot)));
  if (!job) return false;
  Status st = Execute(*job);
  if (st.code() == Code::kConflict) {
    // Lost the lease: another worker owns the job now and will record its outcome.
    spdlog::warn("worker {}: dropped result of job {}: {}", id_, job->id, st.ToString());
    return true;
  }
  RP_RETURN_IF_ERROR(st);
  return true;
}

Status Worker::Execute(const Job& job) {
  auto ws = store_.workspaces().Get(job.workspace_id);
  if (ws.status().code() == Code::kNotFound) return queue_.Complete(job);  // nothing left to do
  RP_RETURN_IF_ERROR(ws.status());
  if (queue_.Abandoned(job)) {
    return RecordFailure(job, *ws, Status::Unavailable("the worker running it stopped"));
  }
  auto active = std::make_shared<Active>();
  active->job = job;
  {
    std::lock_guard lock(mu_);
    active_[job.id] = active;
  }
  spdlog::info("worker {}: {} workspace {} (job {}, attempt {}/{})", id_, JobKindName(job.kind),
               ws->name, job.id, job.attempts, job.max_attempts);
  const auto started = std::chrono::steady_clock::now();
  Status result = runner_.Run(job.kind, *ws, active->lease_lost, job.argument);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("worker {}: {} workspace {} {} in {:.3f} s", id_, JobKindName(job.kind), ws->name,
               result.ok() ? "done" : "failed", seconds);
  if (options_.on_job_done) options_.on_job_done(JobKindName(job.kind), seconds);
  {
    std::lock_guard lock(mu_);
    active_.erase(job.id);
  }
  return result.ok() ? RecordSuccess(job, *ws) : RecordFailure(job, *ws, result);
}

Status Worker::RecordSuccess(const Job& job, const Workspace& ws) {
  return store_.Transaction([&]() -> Status {
    RP_RETURN_IF_ERROR(queue_.Complete(job));
    if (job.kind == JobKind::kDelete) return store_.workspaces().Delete(ws.id);
    if (job.kind == JobKind::kClone) return Status::Ok();  // the source holds the outcome
    // A stop keeps the reason it was asked with (an idle stop says why); the others clear it.
    const auto reason = job.kind == JobKind::kStop ? ws.status_reason : std::nullopt;
    return store_.workspaces().UpdateStatus(ws.id, StatusAfter(job.kind), reason);
  });
}

Status Worker::RecordFailure(const Job& job, const Workspace& ws, const Status& error) {
  const std::string what = std::string(JobKindName(job.kind)) + " workspace \"" + ws.name + "\"";
  if (!JobRunner::IsPermanent(error) && !queue_.Exhausted(job)) {
    spdlog::warn("worker {}: {} failed (attempt {}/{}), retrying: {}", id_, what, job.attempts,
                 job.max_attempts, error.ToString());
    return queue_.Retry(job, error.ToString());
  }
  const std::string reason = what + " failed after " + std::to_string(job.attempts) +
                             (job.attempts == 1 ? " attempt: " : " attempts: ") + error.ToString();
  spdlog::error("worker {}: {}", id_, reason);
  return store_.Transaction([&]() -> Status {
    RP_RETURN_IF_ERROR(queue_.Fail(job, error.ToString()));
    if (job.kind == JobKind::kClone) {  // the workspace itself is as usable as before
      return store_.sources().SetOutcome(ws.id, SourceStatus::kFailed, CloneError::kOther, reason);
    }
    return store_.workspaces().UpdateStatus(ws.id, WorkspaceStatus::kError, reason);
  });
}

}  // namespace rockpool
