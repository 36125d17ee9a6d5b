// The workspace model and its state machine (no I/O).
//   creating -> running -> stopping -> stopped -> starting -> running; any -> error.
//   Delete only from stopped or error; ports only while running.
#pragma once

#include <cstdint>
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
  // Why it is in `error`, or why it was stopped when Rockpool stopped it by itself (idle).
  std::optional<std::string> status_reason;
  std::string created_at;  // RFC 3339, UTC
  std::string updated_at;
  WorkspaceLimits limits;  // the effective limits, applied at create and at every start
  // Stopped after this long without activity; 0: never. The effective value: a workspace that
  // did not choose one has the deployment's default (ROCKPOOL_IDLE_TIMEOUT).
  int64_t idle_timeout_seconds = 0;
  // The last activity the control plane recorded (RFC 3339, UTC): its start or an IDE or port
  // connection. Recorded periodically, so it may lag the truth by one idle check interval.
  std::optional<std::string> last_activity_at;
  // When it will be stopped if nothing happens before: last_activity_at + the timeout, while it
  // runs with a timeout; nullopt otherwise. Derived when read, never stored.
  std::optional<std::string> idle_stop_at;
  // The repository it was created from, if any. Kept apart from the workspace's row
  // (store/source_repository.h); the service fills it in its answers.
  std::optional<WorkspaceSource> source;
  // The cluster member its instance lives on, as the reconciler last saw it; "" when the
  // engine is not a cluster (or before the first look).
  std::string location;
  // The account that created it (core/user.h); "" for one made before there were accounts,
  // which only admins see.
  std::string owner;
};

// The longest idle timeout a workspace may have (30 days).
inline constexpr int64_t kMaxIdleTimeoutSeconds = 30 * 86400;

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
