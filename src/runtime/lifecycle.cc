#include "runtime/lifecycle.h"

#include "core/reverter.h"

namespace rockpool {

std::string BasePath(const std::string& name) { return "/workspace/" + name; }

Status CreateWorkspaceInstance(Runtime& runtime, const std::string& name, const std::string& image,
                               std::chrono::milliseconds health_timeout) {
  RP_RETURN_IF_ERROR(runtime.Create(name, image));
  Reverter revert;
  revert.Add([&] { (void)runtime.Remove(name); });
  RP_RETURN_IF_ERROR(runtime.Configure(name, CodeServerConfig{BasePath(name)}));
  RP_RETURN_IF_ERROR(runtime.Start(name));
  RP_RETURN_IF_ERROR(runtime.WaitHealthy(name, health_timeout));
  revert.Success();
  return Status::Ok();
}

Status StartWorkspaceInstance(Runtime& runtime, const std::string& name,
                              std::chrono::milliseconds health_timeout) {
  RP_RETURN_IF_ERROR(runtime.Start(name));
  Reverter revert;
  revert.Add([&] { (void)runtime.Stop(name); });
  RP_RETURN_IF_ERROR(runtime.WaitHealthy(name, health_timeout));
  revert.Success();
  return Status::Ok();
}

}  // namespace rockpool
