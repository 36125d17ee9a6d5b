// SessionService: the browser sessions of the sign-in page (/app/login). A session is started
// with the account's password, lives in the store beside the API tokens (only its secret's
// digest is kept), and ends on sign-out, on "sign out everywhere", when its account gets a new
// password (the authenticator compares the session's binding) or is deleted, after `idle` without a
// request, and at `lifetime` after it began, whichever comes first. StoreSessionService keeps them
// in the Store.
#pragma once

#include <chrono>
#include <string>

#include "auth/api_token.h"
#include "core/status.h"

namespace rockpool {

struct SessionOptions {
  std::chrono::seconds idle = std::chrono::hours(12);
  std::chrono::seconds lifetime = std::chrono::days(7);
};

struct StartedSession {
  std::string id;
  std::string secret;      // the cookie's value; only its digest is kept
  std::string expires_at;  // RFC 3339: the absolute limit
  std::chrono::seconds max_age{0};
};

class SessionService : public auth::SessionVerifier {
 public:
  // `binding`: auth::PasswordBinding of the password the account signed in with.
  virtual Result<StartedSession> Start(const std::string& username, const std::string& binding) = 0;
  // Ends the session `id` of `username`; Ok when it had ended already.
  virtual Status End(const std::string& username, const std::string& id) = 0;
  // Ends every session of `username` but `keep` (empty: all); how many it ended.
  virtual Result<int> EndAll(const std::string& username, const std::string& keep = "") = 0;
};

}  // namespace rockpool
