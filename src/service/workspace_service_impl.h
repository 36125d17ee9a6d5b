// WorkspaceServiceImpl: the WorkspaceService on a Store and its JobQueue. Lifecycle requests
// check the workspace's state and commit the new state together with the job that carries it
// out. Port requests are carried out at once (the runtime adds or removes a host socket), never
// inside a transaction: AddPort in two phases around a pending row (service/pending_port.h),
// RemovePort by removing the socket first and the row after. Failures of the runtime reach the
// caller as the engine's failure (service/engine_error.h), never as the caller's.
#pragma once

#include <functional>
#include <mutex>
#include <string>

#include "jobs/job_queue.h"
#include "runtime/runtime.h"
#include "service/workspace_service.h"
#include "store/store.h"

namespace rockpool {

namespace auth {
class SecretBox;
}

struct WorkspaceServiceOptions {
  std::string default_image = "rockpool-workspace";
  // Defaults and maximums of the limits a create request may ask for.
  LimitsPolicy limits;
  // Called after a transaction that queued a job has committed, e.g. to wake this process's
  // worker rather than leave the job to its next poll.
  std::function<void()> on_job_queued;
  // Seals repository tokens for the store. None: a create with a token is refused.
  const auth::SecretBox* secrets = nullptr;
  // How many snapshots one workspace may keep (ROCKPOOL_MAX_SNAPSHOTS).
  int max_snapshots = 10;
};

class WorkspaceServiceImpl : public WorkspaceService {
 public:
  // Every reference must outlive the service.
  WorkspaceServiceImpl(Store& store, JobQueue& queue, Runtime& runtime,
                       WorkspaceServiceOptions options = {})
      : store_(store), queue_(queue), runtime_(runtime), options_(std::move(options)) {}

  Result<WorkspacePage> List(int limit, const std::optional<std::string>& cursor,
                             const std::optional<std::string>& owner) override;
  std::optional<int64_t> ListRevision() override;
  Result<Workspace> Create(const CreateWorkspaceRequest& request) override;
  Result<Workspace> Get(const std::string& ref) override;
  Result<Workspace> Start(const std::string& ref) override;
  Result<Workspace> Stop(const std::string& ref) override;
  Result<Workspace> Delete(const std::string& ref) override;
  Result<Workspace> SetIdleTimeout(const std::string& ref, std::optional<int64_t> seconds) override;
  Result<std::vector<Port>> ListPorts(const std::string& ref) override;
  Result<Port> AddPort(const std::string& ref, int port,
                       const std::optional<std::string>& label) override;
  Status RemovePort(const std::string& ref, int port) override;
  Result<Workspace> RetryClone(const std::string& ref) override;
  Result<std::map<WorkspaceStatus, int>> CountByStatus() override;
  // Snapshots (service/snapshots.cc). Restore is a job of kind restore whose argument names the
  // snapshot, committed with the checks that the workspace is stopped and has no other job:
  //  - while it is queued or running, start, stop, delete and snapshot changes answer Conflict
  //    (CheckNoPendingJob), and the queue runs a workspace's jobs one at a time, in order, so
  //    no start or delete can overlap the restore;
  //  - after a crash the job's lease expires and it runs again; restoring the same snapshot
  //    again gives the same files, so it converges. A failed restore puts the workspace in
  //    error (from where it can be started or deleted as it is).
  // Create and delete run at once, outside any transaction (they may take a while), after the
  // same checks; snapshot_mu_ makes this process's count-then-create atomic for the cap.
  Result<std::vector<WorkspaceSnapshot>> ListSnapshots(const std::string& ref) override;
  Result<WorkspaceSnapshot> CreateSnapshot(const std::string& ref,
                                           const std::string& name) override;
  Result<Workspace> RestoreSnapshot(const std::string& ref, const std::string& snapshot) override;
  Status DeleteSnapshot(const std::string& ref, const std::string& snapshot) override;

 private:
  // The workspace, checked to be running or stopped (or stopped only) with no job pending.
  Result<Workspace> SnapshotTarget(const std::string& ref, const std::string& what,
                                   bool stopped_only);
  // The workspace's snapshots from the runtime; an engine failure becomes EngineFailure.
  Result<std::vector<SnapshotInfo>> RuntimeSnapshots(const Workspace& ws);
  // Checks the action against the state and any job in progress, then moves the workspace to
  // `next` and enqueues `kind`, all in one transaction.
  Result<Workspace> Transition(const std::string& ref, Action action, WorkspaceStatus next,
                               JobKind kind);
  // The workspace's queued or running job, if any.
  Result<std::optional<Job>> PendingJob(const std::string& workspace_id);
  // Conflict when a job is still working on the workspace.
  Status CheckNoPendingJob(const Workspace& ws);
  // Phase 1 of AddPort: checks the workspace and its ports and commits a pending row; sets `ws`.
  Result<Port> InsertPendingPort(const std::string& ref, int port,
                                 const std::optional<std::string>& label, Workspace& ws);
  // The source row of a create request, its token sealed.
  Result<WorkspaceSource> NewSource(const std::string& workspace_id, const SourceRequest& request);
  // `ws` with its source, read from the store.
  Result<Workspace> WithSource(Workspace ws);
  // Runs options_.on_job_queued when `committed` is Ok; returns `committed`.
  Status JobQueued(Status committed);

  Store& store_;
  JobQueue& queue_;
  Runtime& runtime_;
  const WorkspaceServiceOptions options_;
  std::mutex snapshot_mu_;
};

}  // namespace rockpool
