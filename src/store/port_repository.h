// PortRepository: the forwarded ports of each workspace (deleted with their workspace), each
// pending or active (core/workspace.h). Every method is safe to call from several threads, and
// joins the calling thread's Store::Transaction when there is one.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/workspace.h"

namespace rockpool {

class PortRepository {
 public:
  virtual ~PortRepository() = default;

  // Inserts `port` in its state (created_at is stamped now). AlreadyExists when a row for the
  // port exists, in either state; NotFound when the workspace is gone.
  virtual Result<Port> Insert(const Port& port) = 0;
  // Every row of the workspace, pending ones included, ordered by port.
  virtual Result<std::vector<Port>> List(const std::string& workspace_id) = 0;
  // Pending rows of every workspace, oldest first.
  virtual Result<std::vector<Port>> ListPending() = 0;
  // pending -> active. NotFound when there is no pending row for the port.
  virtual Status Activate(const std::string& workspace_id, int port) = 0;
  // Deletes the row in either state. NotFound.
  virtual Status Delete(const std::string& workspace_id, int port) = 0;
  // Deletes the row only while it is pending. NotFound when there is no pending row.
  virtual Status DeletePending(const std::string& workspace_id, int port) = 0;
};

}  // namespace rockpool
