#include "runtime/lifecycle.h"

#include <spdlog/spdlog.h>

#include "core/reverter.h"

namespace rockpool {
namespace {

// Logs an undo step that failed, saying what it leaves behind.
void LogFailedUndo(const Status& st, const std::string& name, const char* left) {
  if (!st.ok()) spdlog::warn("workspace \"{}\": undo failed, {}: {}", name, left, st.ToString());
}

}  // namespace

Status BootNewInstance(Runtime& runtime, const std::string& name, const WorkspaceLimits& limits,
                       std::chrono::milliseconds health_timeout, const UndoPolicy& undo) {
  Reverter revert;
  revert.Add([&] {
    if (undo()) {
      LogFailedUndo(runtime.Remove(name), name,
                    "its half-made instance is left (the reconciler removes it as an orphan once "
                    "the workspace is gone, or the job's retry adopts it)");
    }
  });
  RP_RETURN_IF_ERROR(runtime.Configure(name, CodeServerConfig{kCodeServerBasePath}));
  RP_RETURN_IF_ERROR(runtime.StartAndWaitHealthy(name, limits, health_timeout));
  revert.Success();
  return Status::Ok();
}

Status StartWorkspaceInstance(Runtime& runtime, const std::string& name,
                              const WorkspaceLimits& limits,
                              std::chrono::milliseconds health_timeout, const UndoPolicy& undo) {
  Reverter revert;
  revert.Add([&] {
    if (undo()) {
      LogFailedUndo(runtime.Stop(name), name,
                    "its instance may be left running (the reconciler stops it if the workspace "
                    "ends up stopped)");
    }
  });
  RP_RETURN_IF_ERROR(runtime.StartAndWaitHealthy(name, limits, health_timeout));
  revert.Success();
  return Status::Ok();
}

}  // namespace rockpool
