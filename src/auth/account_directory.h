// AccountDirectory: the accounts besides the deployment's own (whose credentials come from the
// CredentialSource), looked up by username when one signs in. The real one is the store's
// (service/store_user_service.h).
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "core/user.h"

namespace rockpool::auth {

class AccountDirectory {
 public:
  virtual ~AccountDirectory() = default;
  // The account named `username`; nullopt when there is none. Unavailable when the accounts
  // cannot be read. Thread-safe; called on the request's thread, so it must be one cheap read.
  virtual Result<std::optional<User>> Find(const std::string& username) = 0;
};

}  // namespace rockpool::auth
