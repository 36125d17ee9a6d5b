// WorkspaceService: what the API (and any other front end) may ask of the control plane.
// Every method validates its input and the workspace's state, commits the state change and
// the job that carries it out in one transaction, and answers at once; jobs finish the work.
// `ref` is a workspace id or, failing that, a workspace name.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/limits.h"
#include "core/source.h"
#include "core/status.h"
#include "core/workspace.h"

namespace rockpool {

struct CreateWorkspaceRequest {
  std::string name;
  std::string image;     // empty: the default image
  LimitsRequest limits;  // fields left out take the deployment's defaults
  // Stop after this long without activity; 0: never; nullopt: the deployment's default.
  std::optional<int64_t> idle_timeout_seconds;
  std::optional<SourceRequest> repository;  // cloned into the IDE folder at create
  std::string owner;                        // the account it is made for; "": none
};

// The answer for a workspace that does not exist, and for one the caller may not see: the two
// must not be told apart.
inline Status WorkspaceNotFound(const std::string& ref) {
  return Status::NotFound("workspace \"" + ref + "\" not found");
}

// A snapshot of a workspace: its files at one moment (not its running processes).
struct WorkspaceSnapshot {
  std::string name;
  std::string created_at;  // RFC 3339, UTC
};

class WorkspaceService {
 public:
  virtual ~WorkspaceService() = default;
  // limit: 1-100. cursor: opaque, from a previous page's next_cursor. `owner`: only the
  // workspaces of that account.
  virtual Result<WorkspacePage> List(int limit, const std::optional<std::string>& cursor,
                                     const std::optional<std::string>& owner) = 0;
  // A number that changes whenever an answer of List may change, so a front end can reuse
  // what it rendered for an equal number. nullopt when unknown: nothing may be reused.
  virtual std::optional<int64_t> ListRevision() { return std::nullopt; }
  // -> creating. OutOfRange when a limit is above the deployment's maximum.
  virtual Result<Workspace> Create(const CreateWorkspaceRequest& request) = 0;
  virtual Result<Workspace> Get(const std::string& ref) = 0;
  virtual Result<Workspace> Start(const std::string& ref) = 0;   // -> starting
  virtual Result<Workspace> Stop(const std::string& ref) = 0;    // -> stopping
  virtual Result<Workspace> Delete(const std::string& ref) = 0;  // deletion job queued
  // Sets how long the workspace may go without activity before it is stopped (0: never;
  // nullopt: the deployment's default), in any state. InvalidArgument above
  // kMaxIdleTimeoutSeconds.
  virtual Result<Workspace> SetIdleTimeout(const std::string& ref, std::optional<int64_t> seconds) {
    (void)ref;
    (void)seconds;
    return Status::Internal("this WorkspaceService cannot set idle timeouts");
  }
  virtual Result<std::vector<Port>> ListPorts(const std::string& ref) = 0;
  virtual Result<Port> AddPort(const std::string& ref, int port,
                               const std::optional<std::string>& label) = 0;
  virtual Status RemovePort(const std::string& ref, int port) = 0;
  // Clones the workspace's repository again after a failed clone (running workspaces only):
  // the source turns pending and a clone job is queued. Conflict when it is cloned already or
  // a job is in progress; NotFound when the workspace has no repository.
  virtual Result<Workspace> RetryClone(const std::string& ref) = 0;
  // Snapshots of the workspace, oldest first (none while it is being created).
  virtual Result<std::vector<WorkspaceSnapshot>> ListSnapshots(const std::string& ref) {
    return NoSnapshots(ref);
  }
  // Snapshots a running or stopped workspace. `name` empty: one is made from the time.
  // InvalidArgument for a bad name; AlreadyExists when taken; Conflict at the cap or in
  // another state.
  virtual Result<WorkspaceSnapshot> CreateSnapshot(const std::string& ref,
                                                   const std::string& /*name*/) {
    return NoSnapshots(ref);
  }
  // Queues the restore of a stopped workspace to `snapshot`; the workspace stays stopped and
  // takes no other lifecycle request until the restore job is done. NotFound, Conflict.
  virtual Result<Workspace> RestoreSnapshot(const std::string& ref,
                                            const std::string& /*snapshot*/) {
    return NoSnapshots(ref);
  }
  virtual Status DeleteSnapshot(const std::string& ref, const std::string& /*snapshot*/) {
    return NoSnapshots(ref);
  }
  // Workspaces per status, for metrics.
  virtual Result<std::map<WorkspaceStatus, int>> CountByStatus() = 0;

 private:
  static Status NoSnapshots(const std::string& ref) {
    return Status(Code::kUnimplemented, "snapshots of workspace \"" + ref +
                                            "\": this control plane does not offer snapshots");
  }
};

}  // namespace rockpool
