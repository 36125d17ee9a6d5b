// Human-readable tables for `rockpool ws` output: left-aligned columns sized to their widest
// cell, two spaces apart, a header row in capitals.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/workspace.h"
#include "service/user_service.h"
#include "service/workspace_service.h"
#include "store/token_repository.h"

namespace rockpool::client {

std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

// NAME STATUS IMAGE UPDATED REASON
std::string FormatWorkspaces(const std::vector<Workspace>& workspaces);
// "1.5 cores", "1 core".
std::string FormatCpus(double cpus);
// Key/value lines for one workspace, its limits included.
std::string FormatWorkspace(const Workspace& ws, const std::string& url);
// PORT LABEL URL (url_prefix: the workspace URL, ending in '/')
std::string FormatPorts(const std::vector<Port>& ports,
                        const std::function<std::string(int)>& url_of);
// NAME CREATED
std::string FormatSnapshots(const std::vector<WorkspaceSnapshot>& snapshots);
// ID NAME CREATED EXPIRES LAST-USED ("never" for no expiry or no use)
std::string FormatTokens(const std::vector<ApiToken>& tokens);
// USERNAME, ROLE, STATUS, CREATED; never a hash.
std::string FormatUsers(const std::vector<UserInfo>& users);

}  // namespace rockpool::client
