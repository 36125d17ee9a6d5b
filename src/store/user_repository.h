// UserRepository: the accounts admins made (core/user.h). The deployment's own admin account is
// not here: it lives in <state>/auth.json. Every method is safe to call from several threads, and
// joins the calling thread's Store::Transaction when there is one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/user.h"

namespace rockpool {

class UserRepository {
 public:
  virtual ~UserRepository() = default;

  // Stores `user` with created_at stamped now; AlreadyExists when the username is taken.
  virtual Result<User> Insert(const User& user) = 0;
  // nullopt when there is no such account.
  virtual Result<std::optional<User>> Find(const std::string& username) = 0;
  // Oldest first.
  virtual Result<std::vector<User>> List() = 0;
  // Stores role, disabled and password_hash of the account `user.username`. NotFound.
  virtual Status Update(const User& user) = 0;
  // NotFound.
  virtual Status Delete(const std::string& username) = 0;
};

}  // namespace rockpool
