// The account that signs in to Rockpool. Only its argon2id hash is stored (<state>/auth.json);
// the password is printed once, when `rockpool up` sets it.
#pragma once

#include <optional>
#include <string>

#include "auth/basic_auth.h"
#include "core/status.h"

namespace rockpool {

struct AuthChange {
  BasicAuth auth;
  std::optional<std::string> new_password;  // set when a password was generated just now
  bool changed = false;                     // the stored hash differs from before
};

// The stored credentials, if any. A file that is unreadable or not what auth::ParseAuthJson
// accepts is InvalidArgument, with the fix.
Result<std::optional<BasicAuth>> LoadAuth(const std::string& state_dir);

// Makes the stored credentials match ROCKPOOL_USERNAME / ROCKPOOL_PASSWORD when both are set;
// otherwise keeps what is stored; otherwise generates a password for user "admin".
Result<AuthChange> EnsureAuth(const std::string& state_dir);

}  // namespace rockpool
