// TokenService: the API tokens of Rockpool's account, as the REST API offers them (make, list,
// revoke) and as the gate checks them (auth::TokenVerifier). StoreTokenService keeps them in the
// Store (store_token_service.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/api_token.h"
#include "core/status.h"
#include "store/token_repository.h"

namespace rockpool {

struct CreatedToken {
  ApiToken token;
  std::string secret;  // shown once; only its digest is kept
};

class TokenService : public auth::TokenVerifier {
 public:
  // The account's username now (for root on the local socket, which signs in as nobody).
  virtual Result<std::string> Account() = 0;
  // `expires_in_days` nullopt: never expires. AlreadyExists when `username` has a token of
  // that name.
  virtual Result<CreatedToken> Create(const std::string& username, const std::string& name,
                                      std::optional<int> expires_in_days) = 0;
  virtual Result<std::vector<ApiToken>> List(const std::string& username) = 0;
  // NotFound when `username` has no token `id`.
  virtual Status Revoke(const std::string& username, const std::string& id) = 0;
};

}  // namespace rockpool
