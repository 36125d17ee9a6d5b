#include "runtime/lifecycle.h"

#include "core/reverter.h"

namespace rockpool {

std::string BasePath(const std::string& name) { return "/workspace/" + name; }

Status BootNewInstance(Runtime& runtime, const std::string& name, const WorkspaceLimits& limits,
                       std::chrono::milliseconds health_timeout, const UndoPolicy& undo) {
  Reverter revert;
  revert.Add([&] {
    if (undo()) (void)runtime.Remove(name);
  });
  RP_RETURN_IF_ERROR(runtime.Configure(name, CodeServerConfig{BasePath(name)}));
  RP_RETURN_IF_ERROR(runtime.StartAndWaitHealthy(name, limits, health_timeout));
  revert.Success();
  return Status::Ok();
}

Status StartWorkspaceInstance(Runtime& runtime, const std::string& name,
                              const WorkspaceLimits& limits,
                              std::chrono::milliseconds health_timeout, const UndoPolicy& undo) {
  Reverter revert;
  revert.Add([&] {
    if (undo()) (void)runtime.Stop(name);
  });
  RP_RETURN_IF_ERROR(runtime.StartAndWaitHealthy(name, limits, health_timeout));
  revert.Success();
  return Status::Ok();
}

}  // namespace rockpool
