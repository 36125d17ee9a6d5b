// Connections open on the workspaces' host sockets (sockets/workspace_sockets.h), counted from
// the kernel's table of unix sockets, /proc/net/unix (what `ss -x` shows). A socket accepted by
// the runtime's listener (LXD's forkproxy) carries the listener's path, so each connection the
// proxy holds to <dir>/<name>.sock or <dir>/<name>.<port>.sock appears there as one connected
// socket with that path until the listener's side closes it. The listener itself is left out.
//
// The proxy keeps idle keep-alive connections open until its idle timeout (the Caddy
// bootstrap sets it for workspace upstreams, proxy/caddy), so an open connection means an open
// WebSocket or stream, or a request within that timeout.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "worker/activity.h"

namespace rockpool {

// Open connections per workspace name in `table` (the text of /proc/net/unix) on sockets in
// `socket_dir`. Lines it cannot read are skipped.
std::map<std::string, int> CountSocketConnections(std::string_view table,
                                                  std::string_view socket_dir);

class SocketActivity : public ActivitySource {
 public:
  // `table_path`: /proc/net/unix, read in the network namespace of this process (the host's,
  // where the runtime's listeners are).
  explicit SocketActivity(std::string socket_dir, std::string table_path = "/proc/net/unix")
      : socket_dir_(std::move(socket_dir)), table_path_(std::move(table_path)) {}

  // Reports open connections only (no request times). An unreadable table reports nothing and
  // is logged once.
  std::map<std::string, WorkspaceActivity> Observe() override;

 private:
  const std::string socket_dir_;
  const std::string table_path_;
  bool warned_ = false;
};

}  // namespace rockpool
