// Helpers for the attack suite: the attacker's seats (code inside a workspace, user `nobody`
// on the host, another address on loopback) and servers planted inside workspaces.
#pragma once

#include <string>
#include <vector>

#include "e2e_support.h"

namespace rockpool::security {

using e2e::Clock;

// Runs `shell` inside workspace `name`'s instance as its unprivileged user: hostile code.
Result<ProcessResult> InWorkspace(const std::string& name, const std::string& shell);
// The workspace's IPv4 address on the bridge.
Result<std::string> AddressOf(const std::string& name);
// The bridge gateway's address as workspaces see it (their default route).
Result<std::string> GatewayOf(const std::string& name);

// Starts a node HTTP server on `port` inside the workspace (as its user) that answers every
// request with "seen" and appends the request's headers as one JSON line to `log`; WebSocket
// upgrades are recorded and accepted.
Status StartHeaderRecorder(const std::string& name, int port, const std::string& log);
// Waits until something inside `name` answers http://127.0.0.1:<port>/.
Status WaitListening(const std::string& name, int port);

// Runs argv as user nobody (uid and gid 65534, no supplementary groups).
Result<ProcessResult> AsNobody(std::vector<std::string> argv);

// `curl` with `args`, printing only the status code; "000" when no HTTP answer came.
std::string CurlStatus(std::vector<std::string> args);

}  // namespace rockpool::security
