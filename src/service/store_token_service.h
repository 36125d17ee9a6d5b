// StoreTokenService: API tokens kept in the Store. Verifying a secret is one indexed read of its
// digest; its last use is written at most once a minute per token, so a script polling the API
// does not turn every read into a write.
#pragma once

#include <chrono>

#include "auth/credential_source.h"
#include "service/token_service.h"
#include "store/clock.h"
#include "store/store.h"

namespace rockpool {

class StoreTokenService final : public TokenService {
 public:
  // All three must outlive the service.
  StoreTokenService(Store& store, Clock& clock, auth::CredentialSource& credentials)
      : store_(store), clock_(clock), credentials_(credentials) {}

  Result<std::string> Account() override;
  Result<CreatedToken> Create(const std::string& username, const std::string& name,
                              std::optional<int> expires_in_days) override;
  Result<std::vector<ApiToken>> List(const std::string& username) override;
  Status Revoke(const std::string& username, const std::string& id) override;
  Result<auth::TokenIdentity> Verify(std::string_view secret) override;

  static constexpr std::chrono::minutes kLastUseGranularity{1};

 private:
  Store& store_;
  Clock& clock_;
  auth::CredentialSource& credentials_;
};

}  // namespace rockpool
