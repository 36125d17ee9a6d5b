// WorkspaceServiceImpl's snapshots; the design is stated in workspace_service_impl.h.
#include <ctime>

#include "service/engine_error.h"
#include "service/workspace_service_impl.h"

namespace rockpool {
namespace {

constexpr size_t kMaxSnapshotName = 63;

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// 1-63 of a-z, 0-9 and '-', starting and ending with a letter or digit: safe as an engine's
// snapshot name and in a URL path.
Status ValidateSnapshotName(const std::string& name) {
  auto fail = [&](const std::string& why) {
    return Status::InvalidArgument("invalid snapshot name " + Quoted(name) + ": " + why +
                                   "; use 1-63 lowercase letters, digits and hyphens, "
                                   "starting and ending with a letter or digit");
  };
  if (name.empty()) return fail("it is empty");
  if (name.size() > kMaxSnapshotName) return fail("it is too long");
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return fail("it holds a character other than a-z, 0-9 and '-'");
    }
  }
  if (name.front() == '-' || name.back() == '-') return fail("it starts or ends with '-'");
  return Status::Ok();
}

// "snap-20260101-120000", then "-2", "-3", ... while that is taken.
std::string DefaultName(const std::vector<SnapshotInfo>& taken) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "snap-%Y%m%d-%H%M%S", &utc);
  auto is_taken = [&](const std::string& n) {
    for (const SnapshotInfo& s : taken) {
      if (s.name == n) return true;
    }
    return false;
  };
  std::string name = stamp;
  for (int i = 2; is_taken(name); ++i) name = std::string(stamp) + "-" + std::to_string(i);
  return name;
}

WorkspaceSnapshot ToSnapshot(const SnapshotInfo& s) { return {s.name, s.created_at}; }

// An engine's answer as the client's: Unimplemented passes (the runtime has no snapshots).
Status SnapshotEngineFailure(const Status& failure, const std::string& what) {
  if (failure.code() == Code::kUnimplemented) return failure;
  return EngineFailure(failure, what);
}

}  // namespace

Result<Workspace> WorkspaceServiceImpl::SnapshotTarget(const std::string& ref,
                                                       const std::string& what, bool stopped_only) {
  RP_ASSIGN_OR_RETURN(Workspace ws, Get(ref));
  const bool allowed = ws.status == WorkspaceStatus::kStopped ||
                       (!stopped_only && ws.status == WorkspaceStatus::kRunning);
  if (!allowed) {
    return Status::Conflict("cannot " + what + " workspace " + Quoted(ws.name) + " while it is " +
                            std::string(StatusName(ws.status)) + ": " +
                            (stopped_only
                                 ? "stop it first; only a stopped workspace can be restored"
                                 : "wait until it is running or stopped"));
  }
  RP_RETURN_IF_ERROR(CheckNoPendingJob(ws));
  return ws;
}

Result<std::vector<SnapshotInfo>> WorkspaceServiceImpl::RuntimeSnapshots(const Workspace& ws) {
  auto listed = runtime_.ListSnapshots(ws.name);
  if (!listed.ok()) {
    return SnapshotEngineFailure(listed.status(), "list snapshots of workspace " + Quoted(ws.name));
  }
  return listed;
}

Result<std::vector<WorkspaceSnapshot>> WorkspaceServiceImpl::ListSnapshots(const std::string& ref) {
  RP_ASSIGN_OR_RETURN(Workspace ws, Get(ref));
  std::vector<WorkspaceSnapshot> out;
  if (ws.status == WorkspaceStatus::kCreating) return out;  // no instance yet
  auto listed = runtime_.ListSnapshots(ws.name);
  // A workspace in error may have no instance left: then it has no snapshots either.
  if (!listed.ok() && listed.status().code() == Code::kNotFound &&
      ws.status == WorkspaceStatus::kError) {
    return out;
  }
  if (!listed.ok()) {
    return SnapshotEngineFailure(listed.status(), "list snapshots of workspace " + Quoted(ws.name));
  }
  for (const SnapshotInfo& s : *listed) out.push_back(ToSnapshot(s));
  return out;
}

Result<WorkspaceSnapshot> WorkspaceServiceImpl::CreateSnapshot(const std::string& ref,
                                                               const std::string& name) {
  if (!name.empty()) RP_RETURN_IF_ERROR(ValidateSnapshotName(name));
  std::lock_guard lock(snapshot_mu_);
  RP_ASSIGN_OR_RETURN(Workspace ws, SnapshotTarget(ref, "snapshot", /*stopped_only=*/false));
  RP_ASSIGN_OR_RETURN(auto existing, RuntimeSnapshots(ws));
  if (existing.size() >= static_cast<size_t>(options_.max_snapshots)) {
    return Status::Conflict("workspace " + Quoted(ws.name) + " already has " +
                            std::to_string(existing.size()) + " snapshots (the maximum is " +
                            std::to_string(options_.max_snapshots) +
                            ", ROCKPOOL_MAX_SNAPSHOTS); delete one first");
  }
  const std::string snapshot = name.empty() ? DefaultName(existing) : name;
  for (const SnapshotInfo& s : existing) {
    if (s.name == snapshot) {
      return Status::AlreadyExists("workspace " + Quoted(ws.name) + " already has a snapshot " +
                                   Quoted(snapshot) + "; choose another name or delete it first");
    }
  }
  auto made = runtime_.CreateSnapshot(ws.name, snapshot);
  if (!made.ok()) {
    if (made.status().code() == Code::kAlreadyExists) {
      return Status::AlreadyExists("workspace " + Quoted(ws.name) + " already has a snapshot " +
                                   Quoted(snapshot) + "; choose another name or delete it first");
    }
    return SnapshotEngineFailure(
        made.status(), "snapshot " + Quoted(snapshot) + " of workspace " + Quoted(ws.name));
  }
  return ToSnapshot(*made);
}

Result<Workspace> WorkspaceServiceImpl::RestoreSnapshot(const std::string& ref,
                                                        const std::string& snapshot) {
  RP_RETURN_IF_ERROR(ValidateSnapshotName(snapshot));
  RP_ASSIGN_OR_RETURN(Workspace ws, SnapshotTarget(ref, "restore", /*stopped_only=*/true));
  RP_ASSIGN_OR_RETURN(auto existing, RuntimeSnapshots(ws));
  bool found = false;
  for (const SnapshotInfo& s : existing) found = found || s.name == snapshot;
  if (!found) {
    return Status::NotFound("workspace " + Quoted(ws.name) + " has no snapshot " +
                            Quoted(snapshot));
  }
  // The checks again, with the job, in one transaction: nothing may have started meanwhile.
  Workspace result;
  RP_RETURN_IF_ERROR(JobQueued(store_.Transaction([&]() -> Status {
    RP_ASSIGN_OR_RETURN(Workspace now, SnapshotTarget(ws.id, "restore", /*stopped_only=*/true));
    RP_RETURN_IF_ERROR(queue_.Enqueue(now.id, JobKind::kRestore, snapshot).status());
    result = now;
    return Status::Ok();
  })));
  return result;
}

Status WorkspaceServiceImpl::DeleteSnapshot(const std::string& ref, const std::string& snapshot) {
  RP_RETURN_IF_ERROR(ValidateSnapshotName(snapshot));
  std::lock_guard lock(snapshot_mu_);
  RP_ASSIGN_OR_RETURN(Workspace ws,
                      SnapshotTarget(ref, "delete a snapshot of", /*stopped_only=*/false));
  RP_ASSIGN_OR_RETURN(auto existing, RuntimeSnapshots(ws));
  bool found = false;
  for (const SnapshotInfo& s : existing) found = found || s.name == snapshot;
  const std::string what = "snapshot " + Quoted(snapshot) + " of workspace " + Quoted(ws.name);
  if (!found)
    return Status::NotFound("workspace " + Quoted(ws.name) + " has no snapshot " +
                            Quoted(snapshot));
  Status deleted = runtime_.DeleteSnapshot(ws.name, snapshot);
  if (deleted.ok() || deleted.code() == Code::kNotFound) return Status::Ok();  // gone meanwhile
  return SnapshotEngineFailure(deleted, "delete " + what);
}

}  // namespace rockpool
