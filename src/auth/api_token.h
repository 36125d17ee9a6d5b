// API tokens: the secret a script or the CLI sends as `Authorization: Bearer <secret>` instead of
// a password. A secret is "rpt_" and 43 characters of URL-safe Base64 (32 random bytes), so it is
// recognisable in logs and leak scanners, and too long to guess; only its SHA-256 digest is kept.
// A browser session's secret (the sign-in page's cookie) has the same shape with "rps_": the
// two never stand in for each other. Port mode's origins add two more of that shape: "rpk_", a
// one-time ticket that carries a session to one workspace origin, and "rpo_", the cookie that
// ticket becomes on that origin.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rockpool::auth {

inline constexpr std::string_view kTokenPrefix = "rpt_";
inline constexpr std::string_view kSessionPrefix = "rps_";
inline constexpr std::string_view kTicketPrefix = "rpk_";
inline constexpr std::string_view kOriginPrefix = "rpo_";

// A fresh secret with `prefix`, and whether text has that shape.
std::string NewSecret(std::string_view prefix);
bool LooksLikeSecret(std::string_view secret, std::string_view prefix);

// A fresh secret from libsodium's random generator.
std::string NewTokenSecret();
std::string NewSessionSecret();
// True for text of a secret's shape (prefix, length, alphabet); says nothing of validity.
bool LooksLikeTokenSecret(std::string_view secret);
bool LooksLikeSessionSecret(std::string_view secret);
// SHA-256 of the secret in lowercase hex: what the store keeps and looks up.
std::string TokenDigest(std::string_view secret);
// The secret of an `Authorization: Bearer <secret>` header (scheme case-insensitive, RFC 6750);
// nullopt when the header is another scheme.
std::optional<std::string> ParseBearerAuthorization(std::string_view value);

struct TokenIdentity {
  std::string token_id;
  std::string username;  // the account the token acts as
};

// Who a secret belongs to. The implementation (service/token_service.h) asks the store.
class TokenVerifier {
 public:
  virtual ~TokenVerifier() = default;
  // NotFound (with a message for the caller) when the secret is unknown, revoked or expired;
  // Unavailable when the store cannot be asked. Thread-safe; called on the server's threads for
  // every request that carries a token, so it must be one indexed read at most.
  virtual Result<TokenIdentity> Verify(std::string_view secret) = 0;
};

// What a session is bound to: a fingerprint of its account's password hash (salted, so a new
// password, even the same one again, gives another) when the session began.
std::string PasswordBinding(std::string_view password_hash);

struct SessionIdentity {
  std::string session_id;
  std::string username;
  std::string binding;  // PasswordBinding when it began
};

// Whose browser session a secret is. The implementation (service/session_service.h) asks the
// store; the same rules as for TokenVerifier, and a session past its idle or absolute limit is
// NotFound.
class SessionVerifier {
 public:
  virtual ~SessionVerifier() = default;
  virtual Result<SessionIdentity> Verify(std::string_view secret) = 0;
  // The session that an origin cookie ("rpo_") carries, when the cookie was made for origin
  // `port`; otherwise NotFound, like an ended session.
  virtual Result<SessionIdentity> VerifyOrigin(std::string_view secret, int port) = 0;
};

}  // namespace rockpool::auth
