// Store: persistence of workspaces, their forwarded ports and the job queue. Implementations:
// SqliteStore (the embedded default). Nothing engine-specific appears here, so a PostgreSQL
// store can follow. Timestamps are stamped by the store from its Clock.
// Every method is safe to call from several threads; several processes may share one
// database.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/workspace.h"
#include "store/job.h"

namespace rockpool {

struct NewJob {
  std::string workspace_id;
  JobKind kind = JobKind::kCreate;
  int max_attempts = 5;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `body` in one write transaction: committed when it returns ok, rolled back otherwise
  // (its Status is returned). A Transaction inside a Transaction joins the outer one.
  virtual Status Transaction(const std::function<Status()>& body) = 0;

  // --- workspaces
  // Inserts `ws` (id, name, status, image and reason as given; created_at and updated_at are
  // stamped now) and returns the stored row. AlreadyExists when the name or id is taken.
  virtual Result<Workspace> InsertWorkspace(const Workspace& ws) = 0;
  virtual Result<Workspace> GetWorkspace(const std::string& id) = 0;          // NotFound
  virtual Result<Workspace> GetWorkspaceByName(const std::string& name) = 0;  // NotFound
  // Ordered by (created_at, id). `cursor` comes from a previous page's next_cursor;
  // InvalidArgument when it is not one. REQUIRES: limit >= 1.
  virtual Result<WorkspacePage> ListWorkspaces(int limit,
                                               const std::optional<std::string>& cursor) = 0;
  virtual Result<std::vector<Workspace>> ListAllWorkspaces() = 0;
  // Sets status and reason (nullopt clears it) and stamps updated_at. NotFound.
  virtual Status UpdateWorkspaceStatus(const std::string& id, WorkspaceStatus status,
                                       const std::optional<std::string>& reason) = 0;
  // Deletes the workspace and (cascade) its ports. NotFound.
  virtual Status DeleteWorkspace(const std::string& id) = 0;
  virtual Result<std::map<WorkspaceStatus, int>> CountWorkspacesByStatus() = 0;
  // A number that changes with every committed insert, update or delete of a workspace, made
  // by any connection or process. Equal numbers mean ListWorkspaces answers the same.
  virtual Result<int64_t> WorkspacesRevision() = 0;

  // --- ports
  // Inserts `port` in its state (created_at is stamped now). AlreadyExists when a row for the
  // port exists, in either state; NotFound when the workspace is gone.
  virtual Result<Port> InsertPort(const Port& port) = 0;
  // Every row, pending ones included, ordered by port.
  virtual Result<std::vector<Port>> ListPorts(const std::string& workspace_id) = 0;
  // Pending rows of every workspace, oldest first.
  virtual Result<std::vector<Port>> ListPendingPorts() = 0;
  // pending -> active. NotFound when there is no pending row for the port.
  virtual Status ActivatePort(const std::string& workspace_id, int port) = 0;
  // Deletes the row in either state. NotFound.
  virtual Status DeletePort(const std::string& workspace_id, int port) = 0;
  // Deletes the row only while it is pending. NotFound when there is no pending row.
  virtual Status DeletePendingPort(const std::string& workspace_id, int port) = 0;

  // --- jobs
  virtual Result<Job> InsertJob(const NewJob& job) = 0;
  virtual Result<Job> GetJob(int64_t id) = 0;
  // Leases the oldest runnable job to `owner` until now + `lease` and counts an attempt, or
  // returns nullopt. Runnable: queued with run_after reached, or running with an expired
  // lease (its worker died); and no older unfinished job of the same workspace exists, so a
  // workspace's jobs run one at a time, in order. Two callers never get the same job.
  virtual Result<std::optional<Job>> ClaimJob(const std::string& owner,
                                              std::chrono::milliseconds lease) = 0;
  // The following take the lease holder and answer Conflict when `owner` no longer holds the
  // job's lease (it expired and another worker took the job): the caller's work is stale.
  virtual Status ExtendLease(int64_t id, const std::string& owner,
                             std::chrono::milliseconds lease) = 0;
  // Marks the job done or failed (final), keeping `error` as last_error.
  virtual Status FinishJob(int64_t id, const std::string& owner, JobState final_state,
                           const std::optional<std::string>& error) = 0;
  // Puts the job back in the queue, runnable from now + `delay`. With `count_attempt` false
  // the claim is not counted (a worker shutting down hands its job back).
  virtual Status RequeueJob(int64_t id, const std::string& owner, std::chrono::milliseconds delay,
                            const std::optional<std::string>& error, bool count_attempt) = 0;
  // Queued and running jobs, oldest first.
  virtual Result<std::vector<Job>> ListUnfinishedJobs() = 0;
  virtual Result<std::vector<Job>> ListJobsForWorkspace(const std::string& workspace_id) = 0;
  // Deletes done and failed jobs last changed more than `age` ago; returns how many.
  virtual Result<int> PruneFinishedJobs(std::chrono::milliseconds age) = 0;
};

}  // namespace rockpool
