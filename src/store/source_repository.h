// SourceRepository: the git repository each workspace was created from, and how its clone went
// (core/source.h); a row goes with its workspace. Every method is safe to call from several
// threads, and joins the calling thread's Store::Transaction when there is one.
#pragma once

#include <string>
#include <vector>

#include "core/source.h"
#include "core/status.h"

namespace rockpool {

class SourceRepository {
 public:
  virtual ~SourceRepository() = default;

  // Inserts `source` (updated_at is stamped now). AlreadyExists when the workspace has one;
  // NotFound when the workspace is gone.
  virtual Result<WorkspaceSource> Insert(const WorkspaceSource& source) = 0;
  virtual Result<WorkspaceSource> Get(const std::string& workspace_id) = 0;  // NotFound
  // The sources of those of `workspace_ids` that have one, in no particular order.
  virtual Result<std::vector<WorkspaceSource>> List(
      const std::vector<std::string>& workspace_ids) = 0;
  // Records the outcome of a clone, or kPending again before a retry. NotFound.
  virtual Status SetOutcome(const std::string& workspace_id, SourceStatus status,
                            std::optional<CloneError> error_kind,
                            const std::optional<std::string>& error) = 0;
};

}  // namespace rockpool
