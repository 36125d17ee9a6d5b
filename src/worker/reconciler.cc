#include "worker/reconciler.h"

#include <spdlog/spdlog.h>

#include <set>

#include "service/pending_port.h"

namespace rockpool {
namespace {

bool Transitional(WorkspaceStatus s) {
  return s == WorkspaceStatus::kCreating || s == WorkspaceStatus::kStarting ||
         s == WorkspaceStatus::kStopping;
}

JobKind JobFor(WorkspaceStatus s) {
  switch (s) {
    case WorkspaceStatus::kStarting:
      return JobKind::kStart;
    case WorkspaceStatus::kStopping:
      return JobKind::kStop;
    default:
      return JobKind::kCreate;
  }
}

constexpr std::string_view kMemberLost = "cluster member lost: ";

// The engine lists an instance whose cluster member does not answer with status Error.
bool OnLostMember(const InstanceInfo& info) {
  return info.status == "Error" && !info.location.empty();
}

bool HasPendingJob(Store& store, const std::string& workspace_id, Status& error) {
  auto jobs = store.jobs().ListForWorkspace(workspace_id);
  if (!jobs.ok()) {
    error = jobs.status();
    return true;  // unknown: leave the workspace alone
  }
  for (const Job& j : *jobs) {
    if (j.state == JobState::kQueued || j.state == JobState::kRunning) return true;
  }
  return false;
}

}  // namespace

std::string MemberLostReason(const std::string& workspace, const std::string& member) {
  return std::string(kMemberLost) + "workspace \"" + workspace + "\" lives on cluster member \"" +
         member + "\", which does not answer (`rockpool doctor` shows the members); the " +
         "workspace comes back by itself when the member does";
}

bool IsMemberLostReason(const std::string& reason) { return reason.starts_with(kMemberLost); }

Reconciler::Reconciler(Store& store, JobQueue& queue, Runtime& runtime, Proxy& proxy,
                       ProxyConfig proxy_config, Clock& clock, ReconcilerOptions options)
    : store_(store),
      queue_(queue),
      runtime_(runtime),
      proxy_(proxy),
      proxy_config_(std::move(proxy_config)),
      clock_(clock),
      options_(options) {}

Reconciler::~Reconciler() { Stop(); }

void Reconciler::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::set<std::string> logged;  // the problems of the last pass: each is logged once in a row
    for (;;) {
      auto report = RunOnce();
      if (!report.ok()) spdlog::warn("reconciler: {}", report.status().ToString());
      std::set<std::string> problems;
      if (report.ok()) problems.insert(report->problems.begin(), report->problems.end());
      for (const std::string& p : problems) {
        if (logged.count(p) == 0) spdlog::warn("reconciler: {}", p);
      }
      logged = std::move(problems);
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, options_.interval, [&] { return stopping_; })) return;
    }
  });
}

void Reconciler::Stop() {
  std::thread t;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    t.swap(thread_);
  }
  cv_.notify_all();
  if (t.joinable()) t.join();
}

Result<ReconcileReport> Reconciler::RunOnce() {
  std::lock_guard pass(pass_mu_);
  ReconcileReport report;
  if (options_.leader != nullptr && !options_.leader->held()) {
    report.skipped = true;
    return report;
  }
  ReconcileFirewall(report);
  ReconcileLimits(report);
  ReconcileProxy(report);
  // Instances first: a workspace row always exists before its instance, so an instance in
  // this list with no row in the later list really has none.
  auto listed = runtime_.List();
  if (!listed.ok()) return listed.status().WithContext("reconcile: list instances");
  RP_ASSIGN_OR_RETURN(auto workspaces, store_.workspaces().ListAll());
  RP_ASSIGN_OR_RETURN(auto jobs, store_.jobs().ListUnfinished());
  std::set<std::string> busy;  // workspaces the worker is on; re-checked before any change
  for (const Job& job : jobs) busy.insert(job.workspace_id);
  std::map<std::string, InstanceInfo> instances;
  for (auto& info : *listed) instances[info.name] = info;
  for (const Workspace& ws : workspaces) {
    if (busy.count(ws.id) > 0) continue;
    if (auto it = instances.find(ws.name); it != instances.end()) {
      ReconcileLocation(ws, it->second, report);
    }
    if (ws.status != WorkspaceStatus::kError) {
      ReconcileWorkspace(ws, instances, report);
    } else if (IsMemberLostReason(ws.status_reason.value_or(""))) {
      Recover(ws, instances, report);
    }
  }
  ReconcileOrphans(instances, workspaces, report);
  ReconcilePendingPorts(report);
  auto pruned = store_.jobs().PruneFinished(options_.job_retention);
  if (!pruned.ok()) report.problems.push_back(pruned.status().ToString());
  if (!options_.spare_image.empty()) Prewarm(jobs.empty(), report);
  if (jobs.empty() && !options_.warm_pools.empty()) FillWarmPools(report);
  return report;
}

void Reconciler::ReconcileLimits(ReconcileReport& report) {
  auto repaired = runtime_.RepairLimits();
  if (!repaired.ok()) return report.problems.push_back(repaired.status().ToString());
  for (const std::string& line : *repaired) spdlog::warn("reconciler: {}", line);
  report.limits_repaired = std::move(*repaired);
}

void Reconciler::Prewarm(bool quiet, ReconcileReport& report) {
  auto ready = runtime_.IsPrewarmed(options_.spare_image);
  if (!ready.ok()) return report.problems.push_back(ready.status().ToString());
  if (*ready) {
    unready_passes_ = 0;
    return;
  }
  if (++unready_passes_ < 2 || !quiet) return;
  Status warmed = runtime_.Prewarm(options_.spare_image);
  if (!warmed.ok()) return report.problems.push_back(warmed.ToString());
  report.prewarmed = true;
  unready_passes_ = 0;
}

void Reconciler::FillWarmPools(ReconcileReport& report) {
  // A job queued meanwhile (a create, a start) goes first.
  auto busy = [this] {
    auto jobs = store_.jobs().ListUnfinished();
    return !jobs.ok() || !jobs->empty();
  };
  auto made = runtime_.FillWarmPools(options_.warm_pools, options_.warm_limits, busy);
  if (!made.ok()) return report.problems.push_back(made.status().ToString());
  report.warm_made = *made;
}

void Reconciler::ReconcilePendingPorts(ReconcileReport& report) {
  auto pending = store_.ports().ListPending();
  if (!pending.ok()) return report.problems.push_back(pending.status().ToString());
  for (const Port& port : *pending) {
    auto since = ParseTime(port.created_at);
    if (since && clock_.Now() - *since < options_.pending_port_grace) continue;
    auto ws = store_.workspaces().Get(port.workspace_id);
    if (!ws.ok()) {
      if (ws.status().code() != Code::kNotFound) report.problems.push_back(ws.status().ToString());
      continue;  // NotFound: the row went with its workspace
    }
    const std::string what = ws->name + ":" + std::to_string(port.port);
    if (!RevertPendingPort(store_, runtime_, *ws, port.port)) {
      report.problems.push_back("could not revert pending port " + what);
      continue;
    }
    spdlog::warn(
        "reconciler: port {} of workspace \"{}\" was left pending (its request did not "
        "finish); removed it",
        port.port, ws->name);
    report.ports_reverted.push_back(what);
  }
}

void Reconciler::ReconcileFirewall(ReconcileReport& report) {
  if (options_.firewall == nullptr) return;
  auto restored = options_.firewall->Ensure();
  if (!restored.ok()) {
    spdlog::error("reconciler: workspaces are not fenced in: {}", restored.status().ToString());
    report.problems.push_back(restored.status().ToString());
    return;
  }
  if (!*restored) return;
  spdlog::warn("reconciler: the host firewall rules were missing or not current; installed them");
  report.firewall_restored = true;
}

void Reconciler::ReconcileProxy(ReconcileReport& report) {
  auto ok = proxy_.IsBootstrapped(proxy_config_);
  if (!ok.ok()) {
    report.problems.push_back(ok.status().WithContext("check proxy config").ToString());
    return;
  }
  if (*ok) return;
  Status st = proxy_.Bootstrap(proxy_config_);
  if (!st.ok()) {
    report.problems.push_back(st.WithContext("restore proxy config").ToString());
    return;
  }
  spdlog::info("reconciler: proxy had lost its config; bootstrapped it again");
  report.proxy_bootstrapped = true;
}

void Reconciler::ReconcileWorkspace(const Workspace& ws,
                                    const std::map<std::string, InstanceInfo>& instances,
                                    ReconcileReport& report) {
  if (Transitional(ws.status)) {
    auto updated = ParseTime(ws.updated_at);
    if (updated && clock_.Now() - *updated >= options_.stuck_after) Requeue(ws, report);
    return;
  }
  auto it = instances.find(ws.name);
  if (it != instances.end() && OnLostMember(it->second)) {
    // Asking the engine about this instance again would wait on the member that is gone.
    Fail(ws, MemberLostReason(ws.name, it->second.location), report);
    return;
  }
  const bool agrees =
      it != instances.end() && it->second.running == (ws.status == WorkspaceStatus::kRunning);
  if (agrees) return;
  // The instances were listed before this row was read: a job may have finished in between.
  // Only what the runtime says now, after the row, can contradict it.
  auto now = runtime_.Inspect(ws.name);
  if (!now.ok() && now.status().code() != Code::kNotFound) {
    report.problems.push_back(now.status().ToString());
    return;
  }
  if (!now.ok()) {
    Fail(ws, "the instance of workspace \"" + ws.name + "\" vanished from the runtime", report);
    return;
  }
  if (ws.status == WorkspaceStatus::kRunning && !now->running) {
    Fail(ws,
         "the instance of workspace \"" + ws.name + "\" stopped outside Rockpool (runtime says " +
             now->status + "); start the workspace again",
         report);
  } else if (ws.status == WorkspaceStatus::kStopped && now->running) {
    Status st = runtime_.Stop(ws.name);
    if (st.ok()) {
      report.stopped.push_back(ws.name);
    } else {
      report.problems.push_back(st.ToString());
    }
  }
}

void Reconciler::ReconcileLocation(const Workspace& ws, const InstanceInfo& instance,
                                   ReconcileReport& report) {
  if (instance.location.empty() || ws.location == instance.location) return;
  Status st = store_.workspaces().SetLocation(ws.id, instance.location);
  if (!st.ok()) {
    if (st.code() != Code::kNotFound) report.problems.push_back(st.ToString());
    return;
  }
  report.relocated.push_back(ws.name);
}

void Reconciler::Recover(const Workspace& ws, const std::map<std::string, InstanceInfo>& instances,
                         ReconcileReport& report) {
  auto it = instances.find(ws.name);
  if (it == instances.end() || OnLostMember(it->second)) return;  // still gone
  const InstanceInfo& instance = it->second;
  const WorkspaceStatus back =
      instance.running ? WorkspaceStatus::kRunning : WorkspaceStatus::kStopped;
  Status st =
      IfUnchanged(ws, [&] { return store_.workspaces().UpdateStatus(ws.id, back, std::nullopt); });
  if (st.code() == Code::kConflict) return;
  if (!st.ok()) {
    report.problems.push_back(st.ToString());
    return;
  }
  spdlog::info("reconciler: cluster member \"{}\" answers again; workspace \"{}\" is {}",
               instance.location, ws.name, StatusName(back));
  report.recovered.push_back(ws.name);
}

Status Reconciler::IfUnchanged(const Workspace& ws, const std::function<Status()>& body) {
  return store_.Transaction([&]() -> Status {
    RP_ASSIGN_OR_RETURN(Workspace now, store_.workspaces().Get(ws.id));
    Status err;
    if (now.status != ws.status || now.updated_at != ws.updated_at ||
        HasPendingJob(store_, ws.id, err)) {
      RP_RETURN_IF_ERROR(err);
      return Status::Conflict("workspace \"" + ws.name + "\" changed meanwhile");
    }
    return body();
  });
}

void Reconciler::Fail(const Workspace& ws, const std::string& reason, ReconcileReport& report) {
  Status st = IfUnchanged(
      ws, [&] { return store_.workspaces().UpdateStatus(ws.id, WorkspaceStatus::kError, reason); });
  if (st.code() == Code::kConflict) return;  // someone acted on it; look again next pass
  if (!st.ok()) {
    report.problems.push_back(st.ToString());
    return;
  }
  spdlog::warn("reconciler: {}", reason);
  report.failed.push_back(ws.name);
}

void Reconciler::Requeue(const Workspace& ws, ReconcileReport& report) {
  Status st = IfUnchanged(ws, [&] { return queue_.Enqueue(ws.id, JobFor(ws.status)).status(); });
  if (st.code() == Code::kConflict) return;
  if (!st.ok()) {
    report.problems.push_back(st.ToString());
    return;
  }
  spdlog::warn("reconciler: workspace \"{}\" was {} with no job; queued its {} job again", ws.name,
               StatusName(ws.status), JobKindName(JobFor(ws.status)));
  report.requeued.push_back(ws.name);
}

void Reconciler::ReconcileOrphans(const std::map<std::string, InstanceInfo>& instances,
                                  const std::vector<Workspace>& workspaces,
                                  ReconcileReport& report) {
  std::set<std::string> names;
  for (const Workspace& ws : workspaces) names.insert(ws.name);
  std::map<std::string, TimePoint> still_orphaned;
  const TimePoint now = clock_.Now();
  for (const auto& [name, info] : instances) {
    // What an instance on a member that does not answer is cannot be known (nor can it be
    // removed) until the member is back.
    if (names.count(name) > 0 || OnLostMember(info)) continue;
    auto seen = orphan_first_seen_.find(name);
    const TimePoint first = seen == orphan_first_seen_.end() ? now : seen->second;
    if (seen == orphan_first_seen_.end()) {
      spdlog::warn(
          "reconciler: instance \"{}\" is Rockpool's but has no workspace; removing it "
          "if it is still there in {} s",
          name, options_.orphan_grace.count() / 1000);
    }
    if (now - first < options_.orphan_grace) {
      still_orphaned[name] = first;
      report.orphans.push_back(name);
      continue;
    }
    Status st = runtime_.Remove(name);
    if (st.ok()) {
      spdlog::warn("reconciler: removed orphan instance \"{}\"", name);
      report.removed.push_back(name);
    } else {
      still_orphaned[name] = first;
      report.problems.push_back(st.WithContext("remove orphan instance " + name).ToString());
    }
  }
  orphan_first_seen_.swap(still_orphaned);
}

}  // namespace rockpool
