#include "service/store_token_service.h"

#include "service/stored_secret.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

constexpr char kMakeOne[] = "make a new one with `rockpool login` or `rockpool token create`";

}  // namespace

Result<std::string> StoreTokenService::Account() {
  RP_ASSIGN_OR_RETURN(auto current, credentials_.Current());
  return current.username;
}

Result<CreatedToken> StoreTokenService::Create(const std::string& username, const std::string& name,
                                               std::optional<int> expires_in_days) {
  const TimePoint now = clock_.Now();
  CreatedToken created;
  created.secret = auth::NewTokenSecret();
  ApiToken& t = created.token;
  t.id = NewUuidV4();
  t.username = username;
  t.name = name;
  t.digest = auth::TokenDigest(created.secret);
  t.created_at = FormatTime(now);
  if (expires_in_days) t.expires_at = FormatTime(now + std::chrono::days(*expires_in_days));
  RP_ASSIGN_OR_RETURN(t, store_.tokens().Insert(t));
  return created;
}

Result<std::vector<ApiToken>> StoreTokenService::List(const std::string& username) {
  return store_.tokens().List(username);
}

Status StoreTokenService::Revoke(const std::string& username, const std::string& id) {
  return store_.tokens().Delete(username, id);
}

Result<auth::TokenIdentity> StoreTokenService::Verify(std::string_view secret) {
  RP_ASSIGN_OR_RETURN(auto found,
                      FindStoredSecret(store_, secret, CredentialKind::kToken, "the API token"));
  if (!found) {
    return Status::NotFound(std::string("the API token is unknown or was revoked; ") + kMakeOne);
  }
  const ApiToken& token = *found;
  const TimePoint now = clock_.Now();
  if (token.expires_at) {
    auto expiry = ParseTime(*token.expires_at);
    if (!expiry || *expiry <= now) {
      return Status::NotFound("the API token \"" + token.name + "\" expired at " +
                              *token.expires_at + "; " + kMakeOne);
    }
  }
  const auto last_used = token.last_used_at ? ParseTime(*token.last_used_at) : std::nullopt;
  if (!last_used || now - *last_used >= kLastUseGranularity) {
    // Best effort: a store too busy to record it must not refuse the request.
    (void)store_.tokens().SetLastUsed(token.id, FormatTime(now));
  }
  return auth::TokenIdentity{token.id, token.username};
}

}  // namespace rockpool
