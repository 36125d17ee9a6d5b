// The workspace model and its state machine (no I/O).
//   creating -> running -> stopping -> stopped -> starting -> running; any -> error.
//   Delete only from stopped or error; ports only while running.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "core/source.h"
#include "core/status.h"

namespace rockpool {

enum class WorkspaceStatus { kCreating, kRunning, kStopping, kStopped, kStarting, kError };

std::string_view StatusName(WorkspaceStatus s);  // "creating", "running", ...
std::optional<WorkspaceStatus> ParseStatus(std::string_view s);

struct Workspace {
  std::string id;  // UUID
  std::string name;
  WorkspaceStatus status = WorkspaceStatus::kCreating;
  std::string image;
  std::optional<std::string> status_reason;  // why it is in `error`
  std::string created_at;                    // RFC 3339, UTC
  std::string updated_at;
  WorkspaceLimits limits;  // the effective limits, applied at create and at every start
  // The repository it was created from, if any. Kept apart from the workspace's row
  // (store/source_repository.h); the service fills it in its answers.
  std::optional<WorkspaceSource> source;
};

// pending: the row is stored and the runtime is being asked to add the host socket; only an
// active port is forwarded. A pending row outlives its request only after a crash.
enum class PortState { kPending, kActive };
std::string_view PortStateName(PortState s);  // "pending", "active"
std::optional<PortState> ParsePortState(std::string_view s);

struct Port {
  std::string workspace_id;
  int port = 0;
  std::optional<std::string> label;
  std::string created_at;
  PortState state = PortState::kActive;
};

struct WorkspacePage {
  std::vector<Workspace> items;
  std::optional<std::string> next_cursor;
};

// Lifecycle operations a person can ask for; each checks the current status and answers
// Conflict with a message that says what to do instead.
enum class Action { kStart, kStop, kDelete, kAddPort, kRemovePort, kClone };
Status CheckAction(const Workspace& ws, Action action);

}  // namespace rockpool
