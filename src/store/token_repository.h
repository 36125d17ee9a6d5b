// TokenRepository: the API tokens people make to use Rockpool from scripts and the CLI, and the
// browser sessions of the sign-in page, told apart by their kind. Only a digest of each secret
// is kept (SHA-256: the secret is 32 random bytes, so a fast
// digest is enough and a lookup costs one indexed read). Every method is safe to call from
// several threads, and joins the calling thread's Store::Transaction when there is one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace rockpool {

enum class CredentialKind { kToken, kSession };

struct ApiToken {
  std::string id;        // a UUID
  std::string username;  // the account it acts as
  std::string name;      // its owner's label, unique per account
  std::string digest;    // SHA-256 of the secret, lowercase hex
  std::string created_at;
  std::optional<std::string> expires_at;  // RFC 3339 (store/clock.h); nullopt: never
  std::optional<std::string> last_used_at;
  CredentialKind kind = CredentialKind::kToken;
  // A session: a fingerprint of its account's password hash when it began, so that setting a
  // new password (by any path) ends the sessions started with the old one.
  std::optional<std::string> binding;
};

class TokenRepository {
 public:
  virtual ~TokenRepository() = default;

  // AlreadyExists when the account has a token (or session) of that name.
  virtual Result<ApiToken> Insert(const ApiToken& token) = 0;
  // The account's API tokens (not its sessions), oldest first.
  virtual Result<std::vector<ApiToken>> List(const std::string& username) = 0;
  // The token or session whose secret has `digest`; nullopt when there is none (never made,
  // revoked or ended).
  virtual Result<std::optional<ApiToken>> FindByDigest(const std::string& digest) = 0;
  // The token or session `id`; nullopt when there is none.
  virtual Result<std::optional<ApiToken>> FindById(const std::string& id) = 0;
  // NotFound when the account has no API token with that id (a session is not one).
  virtual Status Delete(const std::string& username, const std::string& id) = 0;
  // Ends the session `id` of `username`; Ok when there is none (already ended).
  virtual Status DeleteSession(const std::string& username, const std::string& id) = 0;
  // Ends every session of `username` but `keep` (empty: all of them); how many it ended.
  virtual Result<int> DeleteSessions(const std::string& username, const std::string& keep) = 0;
  // Deletes every account's sessions that expire at or before `expired_at` or were last used at
  // or before `idle_since` (RFC 3339, store/clock.h); how many it deleted.
  virtual Result<int> DeleteStaleSessions(const std::string& expired_at,
                                          const std::string& idle_since) = 0;
  virtual Status SetLastUsed(const std::string& id, const std::string& at) = 0;
};

}  // namespace rockpool
