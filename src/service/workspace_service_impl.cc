#include "service/workspace_service_impl.h"

#include <algorithm>

#include "auth/secret_box.h"
#include "core/names.h"
#include "service/engine_error.h"
#include "service/pending_port.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

constexpr int kMaxListLimit = 100;
constexpr size_t kMaxLabelLength = 64;
constexpr size_t kMaxImageLength = 255;

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

Status ValidateImage(const std::string& image) {
  if (image.size() > kMaxImageLength) {
    return Status::InvalidArgument("invalid image name: longer than " +
                                   std::to_string(kMaxImageLength) + " characters");
  }
  for (char c : image) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return Status::InvalidArgument("invalid image name " + Quoted(image) +
                                     ": spaces and control characters are not allowed");
    }
  }
  return Status::Ok();
}

Status ValidateLabel(const std::optional<std::string>& label) {
  if (label && label->size() > kMaxLabelLength) {
    return Status::InvalidArgument("invalid port label: " + std::to_string(label->size()) +
                                   " characters, at most " + std::to_string(kMaxLabelLength) +
                                   " allowed");
  }
  return Status::Ok();
}

Status ValidateIdleTimeout(std::optional<int64_t> seconds) {
  if (!seconds || (*seconds >= 0 && *seconds <= kMaxIdleTimeoutSeconds)) return Status::Ok();
  return Status::InvalidArgument("invalid idle timeout " + std::to_string(*seconds) +
                                 " s: use 0 (never) to " + std::to_string(kMaxIdleTimeoutSeconds) +
                                 " (30 days)");
}

// The workspace named by `ref`: an id, else a name.
Result<Workspace> Resolve(Store& store, const std::string& ref) {
  if (LooksLikeUuid(ref)) {
    auto by_id = store.workspaces().Get(ref);
    if (by_id.ok() || by_id.status().code() != Code::kNotFound) return by_id;
  }
  auto by_name = store.workspaces().GetByName(ref);
  if (by_name.status().code() == Code::kNotFound) {
    return WorkspaceNotFound(ref);
  }
  return by_name;
}

}  // namespace

Result<WorkspacePage> WorkspaceServiceImpl::List(int limit,
                                                 const std::optional<std::string>& cursor,
                                                 const std::optional<std::string>& owner) {
  if (limit < 1 || limit > kMaxListLimit) {
    return Status::InvalidArgument("invalid limit " + std::to_string(limit) + ": use 1 to " +
                                   std::to_string(kMaxListLimit));
  }
  RP_ASSIGN_OR_RETURN(WorkspacePage page, store_.workspaces().List(limit, cursor, owner));
  std::vector<std::string> ids;
  for (const Workspace& ws : page.items) ids.push_back(ws.id);
  RP_ASSIGN_OR_RETURN(auto sources, store_.sources().List(ids));
  for (WorkspaceSource& source : sources) {
    auto it = std::find_if(page.items.begin(), page.items.end(),
                           [&](const Workspace& ws) { return ws.id == source.workspace_id; });
    if (it != page.items.end()) it->source = std::move(source);
  }
  return page;
}

Result<Workspace> WorkspaceServiceImpl::WithSource(Workspace ws) {
  auto source = store_.sources().Get(ws.id);
  if (source.ok()) {
    ws.source = std::move(*source);
  } else if (source.status().code() != Code::kNotFound) {
    return source.status();
  }
  return ws;
}

Result<WorkspaceSource> WorkspaceServiceImpl::NewSource(const std::string& workspace_id,
                                                        const SourceRequest& request) {
  RP_RETURN_IF_ERROR(ValidateSourceRequest(request));
  WorkspaceSource source;
  source.workspace_id = workspace_id;
  source.url = request.url;
  source.ref = request.ref;
  source.username = request.username.value_or(kDefaultGitUsername);
  if (request.token) {
    if (options_.secrets == nullptr) {
      return Status::Internal(
          "this control plane has no secret key, so it cannot keep a "
          "repository token; see the control plane's log");
    }
    RP_ASSIGN_OR_RETURN(source.sealed_token, options_.secrets->Seal(*request.token));
  }
  return source;
}

std::optional<int64_t> WorkspaceServiceImpl::ListRevision() {
  auto revision = store_.workspaces().Revision();
  if (!revision.ok()) return std::nullopt;  // List itself will report the failure
  return *revision;
}

Result<Workspace> WorkspaceServiceImpl::Create(const CreateWorkspaceRequest& request) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(request.name));
  Workspace ws;
  ws.id = NewUuidV4();
  ws.name = request.name;
  ws.owner = request.owner;
  ws.status = WorkspaceStatus::kCreating;
  ws.image = request.image.empty() ? options_.default_image : request.image;
  RP_RETURN_IF_ERROR(ValidateImage(ws.image));
  RP_ASSIGN_OR_RETURN(ws.limits, options_.limits.Resolve(request.limits));
  RP_RETURN_IF_ERROR(ValidateIdleTimeout(request.idle_timeout_seconds));
  // A missing image is the caller's mistake: refuse it now rather than fail the job later.
  // Any other answer of the engine is the engine's failure, not the request's.
  if (Status image = runtime_.CheckImage(ws.image); !image.ok()) {
    if (image.code() == Code::kNotFound) return Status::InvalidArgument(image.message());
    return EngineFailure(image, "check image " + Quoted(ws.image));
  }
  std::optional<WorkspaceSource> source;
  if (request.repository) {
    RP_ASSIGN_OR_RETURN(source, NewSource(ws.id, *request.repository));
  }
  Workspace stored;
  RP_RETURN_IF_ERROR(JobQueued(store_.Transaction([&]() -> Status {
    RP_ASSIGN_OR_RETURN(stored, store_.workspaces().Insert(ws));
    if (source) {
      RP_ASSIGN_OR_RETURN(stored.source, store_.sources().Insert(*source));
    }
    if (request.idle_timeout_seconds) {
      RP_RETURN_IF_ERROR(store_.workspaces().SetIdleTimeout(ws.id, request.idle_timeout_seconds));
      stored.idle_timeout_seconds = *request.idle_timeout_seconds;
    }
    return queue_.Enqueue(ws.id, JobKind::kCreate).status();
  })));
  return stored;
}

Result<Workspace> WorkspaceServiceImpl::Get(const std::string& ref) {
  RP_ASSIGN_OR_RETURN(Workspace ws, Resolve(store_, ref));
  return WithSource(std::move(ws));
}

Result<Workspace> WorkspaceServiceImpl::RetryClone(const std::string& ref) {
  Workspace result;
  RP_RETURN_IF_ERROR(JobQueued(store_.Transaction([&]() -> Status {
    RP_ASSIGN_OR_RETURN(Workspace ws, Resolve(store_, ref));
    auto source = store_.sources().Get(ws.id);
    if (source.status().code() == Code::kNotFound) {
      return Status::NotFound("workspace " + Quoted(ws.name) +
                              " was not created from a repository; clone one in its terminal");
    }
    RP_RETURN_IF_ERROR(source.status());
    RP_RETURN_IF_ERROR(CheckAction(ws, Action::kClone));
    RP_RETURN_IF_ERROR(CheckNoPendingJob(ws));
    if (source->status != SourceStatus::kFailed) {
      return Status::Conflict("the repository of workspace " + Quoted(ws.name) + " is " +
                              std::string(SourceStatusName(source->status)) +
                              "; only a failed clone is retried");
    }
    RP_RETURN_IF_ERROR(
        store_.sources().SetOutcome(ws.id, SourceStatus::kPending, std::nullopt, std::nullopt));
    RP_RETURN_IF_ERROR(queue_.Enqueue(ws.id, JobKind::kClone).status());
    RP_ASSIGN_OR_RETURN(result, WithSource(std::move(ws)));
    return Status::Ok();
  })));
  return result;
}

Result<std::optional<Job>> WorkspaceServiceImpl::PendingJob(const std::string& workspace_id) {
  RP_ASSIGN_OR_RETURN(auto jobs, store_.jobs().ListForWorkspace(workspace_id));
  for (const Job& job : jobs) {
    if (job.state == JobState::kQueued || job.state == JobState::kRunning) return {job};
  }
  return std::optional<Job>();
}

Status WorkspaceServiceImpl::CheckNoPendingJob(const Workspace& ws) {
  RP_ASSIGN_OR_RETURN(auto pending, PendingJob(ws.id));
  if (!pending) return Status::Ok();
  if (pending->kind == JobKind::kDelete) {
    return Status::Conflict("workspace " + Quoted(ws.name) + " is being deleted");
  }
  return Status::Conflict("workspace " + Quoted(ws.name) + " has a " +
                          std::string(JobKindName(pending->kind)) +
                          " job in progress; wait for it to finish");
}

Status WorkspaceServiceImpl::JobQueued(Status committed) {
  if (committed.ok() && options_.on_job_queued) options_.on_job_queued();
  return committed;
}

Result<Workspace> WorkspaceServiceImpl::Transition(const std::string& ref, Action action,
                                                   WorkspaceStatus next, JobKind kind) {
  Workspace result;
  RP_RETURN_IF_ERROR(JobQueued(store_.Transaction([&]() -> Status {
    RP_ASSIGN_OR_RETURN(Workspace ws, Resolve(store_, ref));
    RP_RETURN_IF_ERROR(CheckAction(ws, action));
    RP_RETURN_IF_ERROR(CheckNoPendingJob(ws));
    RP_RETURN_IF_ERROR(store_.workspaces().UpdateStatus(ws.id, next, std::nullopt));
    RP_RETURN_IF_ERROR(queue_.Enqueue(ws.id, kind).status());
    RP_ASSIGN_OR_RETURN(result, store_.workspaces().Get(ws.id));
    RP_ASSIGN_OR_RETURN(result, WithSource(std::move(result)));
    return Status::Ok();
  })));
  return result;
}

Result<Workspace> WorkspaceServiceImpl::Start(const std::string& ref) {
  return Transition(ref, Action::kStart, WorkspaceStatus::kStarting, JobKind::kStart);
}

Result<Workspace> WorkspaceServiceImpl::Stop(const std::string& ref) {
  return Transition(ref, Action::kStop, WorkspaceStatus::kStopping, JobKind::kStop);
}

Result<Workspace> WorkspaceServiceImpl::Delete(const std::string& ref) {
  Workspace result;
  RP_RETURN_IF_ERROR(JobQueued(store_.Transaction([&]() -> Status {
    RP_ASSIGN_OR_RETURN(result, Resolve(store_, ref));
    RP_ASSIGN_OR_RETURN(result, WithSource(std::move(result)));
    RP_ASSIGN_OR_RETURN(auto pending, PendingJob(result.id));
    if (pending && pending->kind == JobKind::kDelete) return Status::Ok();  // asked already
    RP_RETURN_IF_ERROR(CheckAction(result, Action::kDelete));
    RP_RETURN_IF_ERROR(CheckNoPendingJob(result));
    return queue_.Enqueue(result.id, JobKind::kDelete).status();
  })));
  return result;
}

Result<Workspace> WorkspaceServiceImpl::SetIdleTimeout(const std::string& ref,
                                                       std::optional<int64_t> seconds) {
  RP_RETURN_IF_ERROR(ValidateIdleTimeout(seconds));
  Workspace result;
  RP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    RP_ASSIGN_OR_RETURN(Workspace ws, Resolve(store_, ref));
    RP_RETURN_IF_ERROR(store_.workspaces().SetIdleTimeout(ws.id, seconds));
    RP_ASSIGN_OR_RETURN(result, store_.workspaces().Get(ws.id));
    return Status::Ok();
  }));
  return result;
}

Result<std::vector<Port>> WorkspaceServiceImpl::ListPorts(const std::string& ref) {
  RP_ASSIGN_OR_RETURN(Workspace ws, Resolve(store_, ref));
  RP_ASSIGN_OR_RETURN(auto ports, store_.ports().List(ws.id));
  std::erase_if(ports, [](const Port& p) { return p.state != PortState::kActive; });
  return ports;
}

Result<Port> WorkspaceServiceImpl::InsertPendingPort(const std::string& ref, int port,
                                                     const std::optional<std::string>& label,
                                                     Workspace& ws) {
  Port pending;
  RP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    RP_ASSIGN_OR_RETURN(ws, Resolve(store_, ref));
    RP_RETURN_IF_ERROR(CheckAction(ws, Action::kAddPort));
    RP_RETURN_IF_ERROR(CheckNoPendingJob(ws));
    RP_ASSIGN_OR_RETURN(auto ports, store_.ports().List(ws.id));
    for (const Port& p : ports) {
      if (p.port != port) continue;
      if (p.state == PortState::kPending) {
        return Status::Conflict("port " + std::to_string(port) + " of workspace " +
                                Quoted(ws.name) +
                                " is being forwarded by another request; wait for it to finish");
      }
      return Status::AlreadyExists("port " + std::to_string(port) +
                                   " is already forwarded for workspace " + Quoted(ws.name));
    }
    if (ports.size() >= static_cast<size_t>(kMaxPortsPerWorkspace)) {
      return Status::Conflict("workspace " + Quoted(ws.name) + " already has " +
                              std::to_string(kMaxPortsPerWorkspace) +
                              " forwarded ports (the maximum); remove one first");
    }
    RP_ASSIGN_OR_RETURN(pending,
                        store_.ports().Insert({ws.id, port, label, "", PortState::kPending}));
    return Status::Ok();
  }));
  return pending;
}

Result<Port> WorkspaceServiceImpl::AddPort(const std::string& ref, int port,
                                           const std::optional<std::string>& label) {
  RP_RETURN_IF_ERROR(ValidatePort(port));
  RP_RETURN_IF_ERROR(ValidateLabel(label));
  Workspace ws;
  RP_ASSIGN_OR_RETURN(Port stored, InsertPendingPort(ref, port, label, ws));
  const std::string what =
      "forward port " + std::to_string(port) + " of workspace " + Quoted(ws.name);
  Status added = runtime_.AddPort(ws.name, port);  // outside any transaction: it may take long
  if (!added.ok()) {
    RevertPendingPort(store_, runtime_, ws, port);  // logs what it leaves behind
    return EngineFailure(added, what);
  }
  Status activated = store_.ports().Activate(ws.id, port);
  if (!activated.ok()) {
    // NotFound: the row went meanwhile (the workspace was stopped or deleted, or the
    // reconciler gave the port up); the socket must not outlive it.
    RevertPendingPort(store_, runtime_, ws, port);
    if (activated.code() == Code::kNotFound) {
      return Status::Conflict(what + ": the workspace changed while the port was being " +
                              "forwarded; look at its state and try again");
    }
    return activated.WithContext(what);
  }
  stored.state = PortState::kActive;
  return stored;
}

Status WorkspaceServiceImpl::RemovePort(const std::string& ref, int port) {
  RP_RETURN_IF_ERROR(ValidatePort(port));
  RP_ASSIGN_OR_RETURN(Workspace ws, Resolve(store_, ref));
  RP_RETURN_IF_ERROR(CheckAction(ws, Action::kRemovePort));
  const std::string what = "port " + std::to_string(port) + " of workspace " + Quoted(ws.name);
  RP_ASSIGN_OR_RETURN(auto ports, store_.ports().List(ws.id));
  auto it = std::find_if(ports.begin(), ports.end(), [&](const Port& p) { return p.port == port; });
  if (it == ports.end()) return Status::NotFound(what + " is not forwarded");
  if (it->state == PortState::kPending) {
    return Status::Conflict(what + " is still being forwarded; wait for that to finish");
  }
  // The socket goes first, outside any transaction; the row stays until it is gone, so a
  // failure here can be retried. The runtime finds nothing to remove on a retry after a crash.
  Status removed = runtime_.RemovePort(ws.name, port);
  if (!removed.ok() && removed.code() != Code::kNotFound) {
    return EngineFailure(removed, "stop forwarding " + what);
  }
  Status deleted = store_.ports().Delete(ws.id, port);
  if (deleted.code() == Code::kNotFound) return Status::Ok();  // a stop or delete job took it
  return deleted;
}

Result<std::map<WorkspaceStatus, int>> WorkspaceServiceImpl::CountByStatus() {
  RP_ASSIGN_OR_RETURN(auto counts, store_.workspaces().CountByStatus());
  for (auto s : {WorkspaceStatus::kCreating, WorkspaceStatus::kRunning, WorkspaceStatus::kStopping,
                 WorkspaceStatus::kStopped, WorkspaceStatus::kStarting, WorkspaceStatus::kError}) {
    counts.emplace(s, 0);
  }
  return counts;
}

}  // namespace rockpool
