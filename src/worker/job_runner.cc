#include "worker/job_runner.h"

#include "runtime/lifecycle.h"

namespace rockpool {
namespace {

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

bool JobRunner::IsPermanent(const Status& status) {
  return status.code() == Code::kInvalidArgument || status.code() == Code::kAlreadyExists ||
         status.code() == Code::kNotFound;
}

Status JobRunner::Run(JobKind kind, const Workspace& ws, const std::atomic<bool>& lease_lost,
                      const std::optional<std::string>& argument) {
  switch (kind) {
    case JobKind::kCreate:
      return RunCreate(ws, lease_lost);
    case JobKind::kStart:
      return RunStart(ws, lease_lost);
    case JobKind::kStop:
      return RunStop(ws);
    case JobKind::kDelete:
      return RunDelete(ws);
    case JobKind::kClone:
      return RunClone(ws);
    case JobKind::kRestore:
      return RunRestore(ws, argument);
  }
  return Status::Internal("unknown job kind");
}

Status JobRunner::AdoptExisting(const Workspace& ws) {
  RP_ASSIGN_OR_RETURN(auto instances, runtime_.List());
  for (const InstanceInfo& info : instances) {
    if (info.name == ws.name) return Status::Ok();
  }
  return Status::AlreadyExists("an instance named " + Quoted(ws.name) +
                               " exists and is not Rockpool's; remove or rename it");
}

Status JobRunner::RunCreate(const Workspace& ws, const std::atomic<bool>& lease_lost) {
  Status created = runtime_.Create(ws.name, ws.image, ws.limits);
  if (created.code() == Code::kAlreadyExists) {
    RP_RETURN_IF_ERROR(AdoptExisting(ws));  // a crashed attempt got this far
  } else if (!created.ok()) {
    return created;
  }
  RP_RETURN_IF_ERROR(BootNewInstance(runtime_, ws.name, ws.limits, options_.health_timeout,
                                     [&] { return !lease_lost.load(); }));
  if (lease_lost) return Status::Ok();  // the worker that took the job over clones
  RP_RETURN_IF_ERROR(cloner_.Clone(ws));
  cloner_.ApplyDotfiles(ws);
  return Status::Ok();
}

Status JobRunner::RunClone(const Workspace& ws) { return cloner_.Clone(ws); }

Status JobRunner::RunStart(const Workspace& ws, const std::atomic<bool>& lease_lost) {
  return StartWorkspaceInstance(runtime_, ws.name, ws.limits, options_.health_timeout,
                                [&] { return !lease_lost.load(); });
}

Status JobRunner::RemovePorts(const Workspace& ws) {
  RP_ASSIGN_OR_RETURN(auto ports, store_.ports().List(ws.id));
  for (const Port& p : ports) {
    Status removed = runtime_.RemovePort(ws.name, p.port);
    if (!removed.ok() && removed.code() != Code::kNotFound) return removed;
    Status deleted = store_.ports().Delete(ws.id, p.port);
    if (!deleted.ok() && deleted.code() != Code::kNotFound) return deleted;
  }
  return Status::Ok();
}

Status JobRunner::RunStop(const Workspace& ws) {
  RP_RETURN_IF_ERROR(RemovePorts(ws));
  return runtime_.Stop(ws.name);
}

Status JobRunner::RunDelete(const Workspace& ws) {
  RP_RETURN_IF_ERROR(RemovePorts(ws));
  return runtime_.Remove(ws.name);
}

Status JobRunner::RunRestore(const Workspace& ws, const std::optional<std::string>& snapshot) {
  if (!snapshot || snapshot->empty()) {
    return Status::InvalidArgument("restore job of workspace " + Quoted(ws.name) +
                                   " names no snapshot");
  }
  return runtime_.RestoreSnapshot(ws.name, *snapshot);
}

}  // namespace rockpool
