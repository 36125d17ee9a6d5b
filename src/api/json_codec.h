// Wire form of the core types, as api/openapi.yaml defines them (camelCase, explicit nulls).
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/workspace.h"

namespace rockpool::api {

nlohmann::json WorkspaceToJson(const Workspace& ws);
nlohmann::json PortToJson(const Port& port);

// The reverse, for clients; InvalidArgument names the missing or mistyped field.
Result<Workspace> WorkspaceFromJson(const nlohmann::json& j);
Result<Port> PortFromJson(const nlohmann::json& j);
Result<WorkspacePage> WorkspacePageFromJson(const nlohmann::json& j);

}  // namespace rockpool::api
