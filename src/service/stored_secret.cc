#include "service/stored_secret.h"

#include "auth/api_token.h"

namespace rockpool {

Result<std::optional<ApiToken>> FindStoredSecret(Store& store, std::string_view secret,
                                                 CredentialKind kind, std::string_view what) {
  auto found = store.tokens().FindByDigest(auth::TokenDigest(secret));
  if (!found.ok()) {
    return Status::Unavailable("the store could not be asked about " + std::string(what) + ": " +
                               found.status().message());
  }
  if (!found->has_value() || (*found)->kind != kind) return std::optional<ApiToken>();
  return found;
}

}  // namespace rockpool
