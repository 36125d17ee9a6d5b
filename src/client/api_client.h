// ApiClient: typed calls to the Rockpool REST API (api/openapi.yaml) over an HttpClient.
// A non-2xx answer becomes a Status with the server's error code and message, prefixed with
// what was attempted: `start workspace "demo": 409 cannot start workspace "demo" while ...`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/workspace.h"
#include "http/client.h"
#include "http/encoding.h"
#include "service/token_service.h"
#include "service/user_service.h"
#include "service/workspace_service.h"

namespace rockpool::client {

struct Credentials {
  std::string username;  // empty (and no token): no Authorization header
  std::string password;
  std::string token;  // an API token's secret; set: sent as Bearer instead of the password
};

class ApiClient {
 public:
  // `http` must outlive the client; its endpoint is the API's base URL (e.g. through Caddy,
  // http://host:8080, or on this host as root, unix:/var/lib/rockpool/local.sock).
  ApiClient(HttpClient& http, Credentials credentials = {})
      : http_(http), credentials_(std::move(credentials)) {}

  Status Health();
  // `owner`: only that account's workspaces (an admin's filter; a member sees only its own).
  Result<WorkspacePage> List(int limit, const std::optional<std::string>& cursor,
                             const std::optional<std::string>& owner = std::nullopt);
  // Every workspace, following nextCursor page by page.
  Result<std::vector<Workspace>> ListAll(const std::optional<std::string>& owner = std::nullopt);
  // image "": the server's default; limits left out: the server's defaults.
  // idle_timeout_seconds: nullopt: the server's default; 0: never stopped for being idle.
  Result<Workspace> Create(const std::string& name, const std::string& image,
                           const LimitsRequest& limits = {},
                           std::optional<int64_t> idle_timeout_seconds = std::nullopt,
                           const std::optional<SourceRequest>& repository = std::nullopt);
  // PATCH: the workspace's idle timeout; nullopt: back to the server's default.
  Result<Workspace> SetIdleTimeout(const std::string& ref, std::optional<int64_t> seconds);
  Result<Workspace> Get(const std::string& ref);
  Result<Workspace> Start(const std::string& ref);
  Result<Workspace> Stop(const std::string& ref);
  Result<Workspace> Delete(const std::string& ref);
  Result<std::vector<Port>> ListPorts(const std::string& ref);
  // The host port of the origin of `ref`'s IDE (forwarded_port 0) or forwarded port; 0 when the
  // control plane serves workspaces on paths of the workspace port.
  Result<int> OriginPort(const std::string& ref, int forwarded_port = 0);
  Result<Port> AddPort(const std::string& ref, int port, const std::optional<std::string>& label);
  Status RemovePort(const std::string& ref, int port);
  Result<Workspace> RetryClone(const std::string& ref);
  Result<std::vector<WorkspaceSnapshot>> ListSnapshots(const std::string& ref);
  // name "": the server names it after the time.
  Result<WorkspaceSnapshot> CreateSnapshot(const std::string& ref, const std::string& name);
  // Queues the restore; the workspace stays stopped.
  Result<Workspace> RestoreSnapshot(const std::string& ref, const std::string& snapshot);
  Status DeleteSnapshot(const std::string& ref, const std::string& snapshot);
  Result<std::vector<ApiToken>> ListTokens();
  // expires_in_days nullopt: never expires. Needs the password, not a token.
  Result<CreatedToken> CreateToken(const std::string& name, std::optional<int> expires_in_days);
  Status RevokeToken(const std::string& id);
  // The account the request signs in as.
  Result<UserInfo> Me();
  Result<std::vector<UserInfo>> ListUsers();
  Result<UserInfo> CreateUser(const std::string& username, const std::string& password, Role role);
  Result<UserInfo> UpdateUser(const std::string& username, const UserChange& change);
  Status DeleteUser(const std::string& username);
  // The signed-in account's own password (needs the password, not a token).
  Status ChangeMyPassword(const std::string& current, const std::string& replacement);

  std::string endpoint() const { return http_.Endpoint(); }
  // A client on the same connection that signs in with this password instead.
  ApiClient WithPassword(const std::string& username, const std::string& password) const {
    return ApiClient(http_, {username, password, ""});
  }

 private:
  // Sends and returns the body of a 2xx answer; otherwise the server's error as a Status.
  Result<std::string> Call(const std::string& what, const std::string& method,
                           const std::string& target, const std::string& body = "");

  HttpClient& http_;
  Credentials credentials_;
};

}  // namespace rockpool::client
