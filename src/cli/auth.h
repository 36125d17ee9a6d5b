// Credentials for Caddy's basic auth. Only the bcrypt hash is stored (<state>/auth.json);
// the password is printed once, when `rockpool up` sets it.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "proxy/proxy.h"

namespace rockpool {

struct AuthChange {
  BasicAuth auth;
  std::optional<std::string> new_password;  // set when a password was generated just now
  bool changed = false;                     // the stored hash differs from before
};

// The stored credentials, if any. A file that is unreadable, not JSON, or holds no bcrypt hash
// is InvalidArgument, with the fix.
Result<std::optional<BasicAuth>> LoadAuth(const std::string& state_dir);

// The stored credentials; a missing file is an error too (what `serve` needs to start).
Result<BasicAuth> RequireAuth(const std::string& state_dir);

// Makes the stored credentials match ROCKPOOL_USERNAME / ROCKPOOL_PASSWORD when both are set;
// otherwise keeps what is stored; otherwise generates a password for user "admin".
Result<AuthChange> EnsureAuth(const std::string& state_dir);

}  // namespace rockpool
