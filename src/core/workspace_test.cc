#include "core/workspace.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace rockpool {
namespace {

constexpr WorkspaceStatus kAll[] = {WorkspaceStatus::kCreating, WorkspaceStatus::kRunning,
                                    WorkspaceStatus::kStopping, WorkspaceStatus::kStopped,
                                    WorkspaceStatus::kStarting, WorkspaceStatus::kError};

Workspace InState(WorkspaceStatus s) {
  Workspace ws;
  ws.name = "test";
  ws.status = s;
  return ws;
}

TEST(WorkspaceStatus, NamesRoundTrip) {
  for (auto s : kAll) EXPECT_EQ(ParseStatus(StatusName(s)), s);
  EXPECT_FALSE(ParseStatus("deleted"));
  EXPECT_FALSE(ParseStatus("Running"));
}

struct Row {
  Action action;
  std::vector<WorkspaceStatus> allowed;
};

TEST(CheckAction, AllowsExactlyTheStateMachineTransitions) {
  const Row table[] = {
      {Action::kStart, {WorkspaceStatus::kStopped, WorkspaceStatus::kError}},
      {Action::kStop, {WorkspaceStatus::kRunning, WorkspaceStatus::kError}},
      {Action::kDelete, {WorkspaceStatus::kStopped, WorkspaceStatus::kError}},
      {Action::kAddPort, {WorkspaceStatus::kRunning}},
      {Action::kRemovePort, {WorkspaceStatus::kRunning}},
  };
  for (const Row& row : table) {
    for (auto s : kAll) {
      const bool allowed =
          std::find(row.allowed.begin(), row.allowed.end(), s) != row.allowed.end();
      Status st = CheckAction(InState(s), row.action);
      EXPECT_EQ(st.ok(), allowed) << "action " << static_cast<int>(row.action) << " from "
                                  << StatusName(s);
      if (!allowed) {
        EXPECT_EQ(st.code(), Code::kConflict);
      }
    }
  }
}

TEST(CheckAction, ConflictNamesWorkspaceStateAndWhatToDo) {
  Status st = CheckAction(InState(WorkspaceStatus::kRunning), Action::kDelete);
  EXPECT_EQ(st.message(),
            "cannot delete workspace \"test\" while it is running: stop it first; only stopped "
            "workspaces (or ones in error) can be deleted");
  st = CheckAction(InState(WorkspaceStatus::kStopped), Action::kAddPort);
  EXPECT_EQ(st.message(),
            "cannot add a port to workspace \"test\" while it is stopped: ports are forwarded "
            "only while the workspace is running");
}

}  // namespace
}  // namespace rockpool
