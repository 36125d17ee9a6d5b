// WorkspaceRepository: the stored workspaces. Timestamps are stamped by the store from its
// Clock. Every method is safe to call from several threads, and joins the calling thread's
// Store::Transaction when there is one.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/workspace.h"
#include "store/clock.h"

namespace rockpool {

class WorkspaceRepository {
 public:
  virtual ~WorkspaceRepository() = default;

  // Inserts `ws` (id, name, status, image, reason, limits and owner as given; created_at and
  // updated_at are stamped now; the idle timeout is the deployment's default until SetIdleTimeout)
  // and returns the stored row. AlreadyExists when the name or id is taken.
  virtual Result<Workspace> Insert(const Workspace& ws) = 0;
  virtual Result<Workspace> Get(const std::string& id) = 0;          // NotFound
  virtual Result<Workspace> GetByName(const std::string& name) = 0;  // NotFound
  // Ordered by (created_at, id); only those of `owner` when it is set. `cursor` comes from a
  // previous page's next_cursor (with the same `owner`); InvalidArgument when it is not one.
  // REQUIRES: limit >= 1.
  virtual Result<WorkspacePage> List(int limit, const std::optional<std::string>& cursor,
                                     const std::optional<std::string>& owner) = 0;
  virtual Result<std::vector<Workspace>> ListAll() = 0;
  // Sets status and reason (nullopt clears it) and stamps updated_at. NotFound.
  virtual Status UpdateStatus(const std::string& id, WorkspaceStatus status,
                              const std::optional<std::string>& reason) = 0;
  // Sets the idle timeout (nullopt: the deployment's default) and stamps updated_at. NotFound.
  virtual Status SetIdleTimeout(const std::string& id, std::optional<int64_t> seconds) = 0;
  // Records the cluster member the workspace lives on ("": none); updated_at stays. NotFound.
  virtual Status SetLocation(const std::string& id, const std::string& location) = 0;
  // Moves last_activity_at to `at` unless it is already later; updated_at stays. NotFound.
  // (UpdateStatus to running records activity too: a start counts as activity.)
  virtual Status RecordActivity(const std::string& id, TimePoint at) = 0;
  // Deletes the workspace and (cascade) its ports. NotFound.
  virtual Status Delete(const std::string& id) = 0;
  virtual Result<std::map<WorkspaceStatus, int>> CountByStatus() = 0;
  // A number that changes with every committed insert, update or delete of a workspace, made
  // by any connection or process. Equal numbers mean List answers the same.
  virtual Result<int64_t> Revision() = 0;
};

}  // namespace rockpool
