#include "service/pending_port.h"

#include <spdlog/spdlog.h>

namespace rockpool {

bool RevertPendingPort(Store& store, Runtime& runtime, const Workspace& ws, int port) {
  const std::string what = "port " + std::to_string(port) + " of workspace \"" + ws.name + "\"";
  Status removed = runtime.RemovePort(ws.name, port);
  if (!removed.ok() && removed.code() != Code::kNotFound) {
    spdlog::warn(
        "could not undo the forwarding of {}: remove its host socket: {}; the socket may be left "
        "and the pending row stays for the reconciler to retry",
        what, removed.ToString());
    return false;
  }
  Status deleted = store.ports().DeletePending(ws.id, port);
  if (!deleted.ok() && deleted.code() != Code::kNotFound) {
    spdlog::warn(
        "could not undo the forwarding of {}: delete its pending row: {}; the row is left "
        "pending (not listed) for the reconciler to delete",
        what, deleted.ToString());
    return false;
  }
  return true;
}

}  // namespace rockpool
