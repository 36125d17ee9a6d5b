// Wire form of the core types, as api/openapi.yaml defines them (camelCase, explicit nulls).
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/workspace.h"
#include "service/user_service.h"
#include "service/workspace_service.h"
#include "store/token_repository.h"

namespace rockpool::api {

nlohmann::json WorkspaceToJson(const Workspace& ws);
nlohmann::json LimitsToJson(const WorkspaceLimits& limits);
nlohmann::json PortToJson(const Port& port);
nlohmann::json SourceToJson(const WorkspaceSource& source);
// The `repository` of a create request, as the contract has validated it.
SourceRequest SourceRequestFromJson(const nlohmann::json& j);
nlohmann::json SnapshotToJson(const WorkspaceSnapshot& snapshot);
// An API token as listed: never its digest or its account.
nlohmann::json ApiTokenToJson(const ApiToken& token);
nlohmann::json UserToJson(const UserInfo& user);

// The reverse, for clients; InvalidArgument names the missing or mistyped field.
// A workspace without "limits" (from a server that predates them) keeps the built-in ones. A
// repository with a token reads back with an empty sealed_token: only its presence is known.
Result<Workspace> WorkspaceFromJson(const nlohmann::json& j);
// The `limits` of a create request, as the contract has validated it: integers too large
// for int64 become INT64_MAX, which any maximum refuses.
LimitsRequest LimitsRequestFromJson(const nlohmann::json& j);
Result<Port> PortFromJson(const nlohmann::json& j);
Result<WorkspaceSnapshot> SnapshotFromJson(const nlohmann::json& j);
Result<WorkspacePage> WorkspacePageFromJson(const nlohmann::json& j);
// The digest and account are left empty.
Result<ApiToken> ApiTokenFromJson(const nlohmann::json& j);
Result<UserInfo> UserFromJson(const nlohmann::json& j);

}  // namespace rockpool::api
