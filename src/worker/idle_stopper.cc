#include "worker/idle_stopper.h"

#include <spdlog/spdlog.h>

#include "worker/idle_policy.h"

namespace rockpool {
namespace {

// Records below this step are skipped: a pass writes only what moved.
constexpr auto kRecordStep = std::chrono::seconds(1);

}  // namespace

IdleStopper::IdleStopper(Store& store, JobQueue& queue, Clock& clock, IdleStopperOptions options)
    : store_(store),
      queue_(queue),
      clock_(clock),
      options_(std::move(options)),
      watching_since_(clock.Now()) {}

IdleStopper::~IdleStopper() { Stop(); }

Result<IdleReport> IdleStopper::RunOnce() {
  std::lock_guard pass(pass_mu_);
  IdleReport report;
  if (options_.activity == nullptr) return report;
  // Observed before the list: a workspace listed as running had its activity counted.
  auto observed = options_.activity->Observe();
  const TimePoint now = clock_.Now();
  RP_ASSIGN_OR_RETURN(auto workspaces, store_.workspaces().ListAll());
  for (const Workspace& ws : workspaces) {
    if (ws.status != WorkspaceStatus::kRunning) continue;
    auto it = observed.find(ws.name);
    Check(ws, it == observed.end() ? WorkspaceActivity{} : it->second, now, report);
  }
  return report;
}

void IdleStopper::Check(const Workspace& ws, const WorkspaceActivity& observed, TimePoint now,
                        IdleReport& report) {
  std::optional<TimePoint> recorded;
  if (ws.last_activity_at) recorded = ParseTime(*ws.last_activity_at);
  const TimePoint last = LastActivity({recorded, observed, watching_since_}, now);
  if (!recorded || last - *recorded >= kRecordStep) {
    Status st = store_.workspaces().RecordActivity(ws.id, last);
    if (!st.ok() && st.code() != Code::kNotFound) {
      report.problems.push_back("record activity of " + ws.name + ": " + st.ToString());
    }
  }
  if (!IsIdle(ws.idle_timeout_seconds, last, now)) return;
  if (options_.leader != nullptr && !options_.leader->held()) return;
  auto stopped = StopIdle(ws, IdleStopReason(ws.idle_timeout_seconds));
  if (!stopped.ok()) {
    report.problems.push_back("stop idle workspace " + ws.name + ": " +
                              stopped.status().ToString());
  } else if (*stopped) {
    spdlog::info("idle: workspace {} had no activity since {}; {}", ws.name, FormatTime(last),
                 IdleStopReason(ws.idle_timeout_seconds));
    report.stopped.push_back(ws.name);
  }
}

Result<bool> IdleStopper::StopIdle(const Workspace& ws, const std::string& reason) {
  bool queued = false;
  RP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    auto current = store_.workspaces().Get(ws.id);
    if (current.status().code() == Code::kNotFound) return Status::Ok();
    RP_RETURN_IF_ERROR(current.status());
    // A person may have stopped, restarted or reconfigured it since the list was read.
    if (current->status != WorkspaceStatus::kRunning || current->updated_at != ws.updated_at) {
      return Status::Ok();
    }
    RP_ASSIGN_OR_RETURN(auto jobs, store_.jobs().ListForWorkspace(ws.id));
    for (const Job& job : jobs) {
      if (job.state == JobState::kQueued || job.state == JobState::kRunning) return Status::Ok();
    }
    RP_RETURN_IF_ERROR(store_.workspaces().UpdateStatus(ws.id, WorkspaceStatus::kStopping, reason));
    RP_RETURN_IF_ERROR(queue_.Enqueue(ws.id, JobKind::kStop).status());
    queued = true;
    return Status::Ok();
  }));
  if (queued && options_.on_job_queued) options_.on_job_queued();
  return queued;
}

void IdleStopper::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || options_.activity == nullptr) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    for (;;) {
      {
        std::unique_lock lock(mu_);
        if (cv_.wait_for(lock, options_.interval, [&] { return stopping_; })) return;
      }
      auto report = RunOnce();
      if (!report.ok()) {
        spdlog::warn("idle: check failed: {}", report.status().ToString());
      } else {
        for (const auto& p : report->problems) spdlog::warn("idle: {}", p);
      }
    }
  });
}

void IdleStopper::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace rockpool
