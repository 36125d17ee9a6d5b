#include "core/workspace.h"

#include <array>

namespace rockpool {
namespace {

constexpr std::array<std::pair<WorkspaceStatus, std::string_view>, 6> kNames = {{
    {WorkspaceStatus::kCreating, "creating"},
    {WorkspaceStatus::kRunning, "running"},
    {WorkspaceStatus::kStopping, "stopping"},
    {WorkspaceStatus::kStopped, "stopped"},
    {WorkspaceStatus::kStarting, "starting"},
    {WorkspaceStatus::kError, "error"},
}};

}  // namespace

std::string_view StatusName(WorkspaceStatus s) {
  for (const auto& [status, name] : kNames) {
    if (status == s) return name;
  }
  return "unknown";
}

std::optional<WorkspaceStatus> ParseStatus(std::string_view s) {
  for (const auto& [status, name] : kNames) {
    if (name == s) return status;
  }
  return std::nullopt;
}

std::string_view PortStateName(PortState s) {
  return s == PortState::kPending ? "pending" : "active";
}

std::optional<PortState> ParsePortState(std::string_view s) {
  if (s == "pending") return PortState::kPending;
  if (s == "active") return PortState::kActive;
  return std::nullopt;
}

Status CheckAction(const Workspace& ws, Action action) {
  const auto st = ws.status;
  auto conflict = [&](std::string_view what, std::string_view hint) {
    return Status::Conflict("cannot " + std::string(what) + " workspace \"" + ws.name +
                            "\" while it is " + std::string(StatusName(st)) + ": " +
                            std::string(hint));
  };
  switch (action) {
    case Action::kStart:
      if (st == WorkspaceStatus::kStopped || st == WorkspaceStatus::kError) return Status::Ok();
      return conflict("start", "only a stopped workspace (or one in error) can be started");
    case Action::kStop:
      if (st == WorkspaceStatus::kRunning || st == WorkspaceStatus::kError) return Status::Ok();
      return conflict("stop", "only a running workspace (or one in error) can be stopped");
    case Action::kDelete:
      if (st == WorkspaceStatus::kStopped || st == WorkspaceStatus::kError) return Status::Ok();
      return conflict("delete",
                      "stop it first; only stopped workspaces (or ones in error) can be "
                      "deleted");
    case Action::kAddPort:
    case Action::kRemovePort:
      if (st == WorkspaceStatus::kRunning) return Status::Ok();
      return conflict(action == Action::kAddPort ? "add a port to" : "remove a port from",
                      "ports are forwarded only while the workspace is running");
    case Action::kClone:
      if (st == WorkspaceStatus::kRunning) return Status::Ok();
      return conflict("clone the repository of",
                      "git runs inside the workspace; start it first, then retry the clone");
  }
  return Status::Internal("unknown action");
}

}  // namespace rockpool
