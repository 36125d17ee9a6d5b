// ApiHandler: routes a request to its contract operation, validates it, calls the
// WorkspaceService and renders the answer. Independent of the transport (the Beast server
// feeds it), so it is the unit under test for the REST behaviour.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "api/contract.h"
#include "api/list_cache.h"
#include "api/metrics.h"
#include "api/request_gate.h"
#include "service/origin_service.h"
#include "service/session_service.h"
#include "service/token_service.h"
#include "service/user_service.h"
#include "service/workspace_service.h"

namespace rockpool::api {

struct ApiRequest {
  std::string method;
  std::string target;  // path and query
  std::string content_type;
  std::string body;
  Principal principal;  // whom the gate let it through for
  bool secure = false;  // reached over HTTPS (the proxy's X-Forwarded-Proto): cookies are Secure
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra (Allow, Set-Cookie)
  std::string route = "unmatched";  // the path template, for logs and metrics
  std::string workspace;            // the workspace concerned, when known, for logs
};

class ApiHandler {
 public:
  // The contract, services and metrics must outlive the handler. Thread-safe if the services
  // are. Up to `list_cache_bytes` of encoded list pages are reused while the service's
  // ListRevision() holds. `tokens` null: the token operations answer 501. `users` null: the
  // account operations answer 501, and root on the local socket makes workspaces for nobody.
  // `sessions` null: the browser session operations answer 501. `origins` null: getOrigin answers
  // that workspaces are served on paths.
  //
  // A member (Principal::admin false) sees and acts on only the workspaces it owns: every
  // operation on another's answers 404 exactly as for one that does not exist.
  ApiHandler(const Contract& contract, WorkspaceService& service, Metrics& metrics,
             size_t list_cache_bytes = size_t{4} << 20, TokenService* tokens = nullptr,
             UserService* users = nullptr, SessionService* sessions = nullptr,
             OriginService* origins = nullptr)
      : contract_(contract),
        service_(service),
        metrics_(metrics),
        tokens_(tokens),
        users_(users),
        sessions_(sessions),
        origins_(origins),
        list_cache_(list_cache_bytes) {}

  ApiResponse Handle(const ApiRequest& request) const;
  // Ok when `principal` may reach workspace `ref` (an id or name): an admin always; anyone else
  // when it owns it. Otherwise NotFound, worded as for a workspace that does not exist. The
  // proxy's decision for a workspace's IDE and ports asks this too.
  Status AuthorizeWorkspace(const Principal& principal, const std::string& ref) const;
  // The same for a workspace already read.
  static Status AuthorizeWorkspace(const Principal& principal, const Workspace& ws);
  // The contract's path template `path` matches ("/api/workspaces/{id}"), or "unmatched":
  // the route label of a request refused before it reached Handle.
  std::string RouteTemplate(const std::string& method, const std::string& path) const;

 private:
  const Contract& contract_;
  WorkspaceService& service_;
  Metrics& metrics_;
  TokenService* const tokens_;
  UserService* const users_;
  SessionService* const sessions_;
  OriginService* const origins_;
  mutable ListCache list_cache_;
};

}  // namespace rockpool::api
