// UserService: the deployment's accounts, as admins manage them through the REST API, and as the
// gate looks them up when one signs in (auth::AccountDirectory). StoreUserService keeps them in
// the Store (store_user_service.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/account_directory.h"
#include "core/status.h"
#include "core/user.h"

namespace rockpool {

// An account as the API shows it: never its hash.
struct UserInfo {
  std::string username;
  Role role = Role::kMember;
  bool disabled = false;
  bool deployment = false;  // the deployment's own admin account (auth.json)
  std::string created_at;   // "" for the deployment's account
};

struct UserChange {
  std::optional<bool> disabled;
  std::optional<Role> role;
  std::optional<std::string> password;
};

class UserService : public auth::AccountDirectory {
 public:
  // The deployment's own admin account's username (for root on the local socket, which signs
  // in as nobody and acts as it).
  virtual Result<std::string> DeploymentAccount() = 0;
  virtual Result<UserInfo> Info(const std::string& username) = 0;  // NotFound
  // The deployment's account first, then the others, oldest first.
  virtual Result<std::vector<UserInfo>> List() = 0;
  // InvalidArgument for a bad username or a short password; AlreadyExists when taken.
  virtual Result<UserInfo> Create(const std::string& username, const std::string& password,
                                  Role role) = 0;
  // `actor` is the admin asking. NotFound; Conflict for the deployment's account and for an
  // actor disabling or demoting itself.
  virtual Result<UserInfo> Update(const std::string& actor, const std::string& username,
                                  const UserChange& change) = 0;
  // The account's own change of its password. PermissionDenied when `current` is not its
  // password; InvalidArgument for a short new one; Conflict for the deployment's account.
  virtual Status ChangePassword(const std::string& username, const std::string& current,
                                const std::string& replacement) = 0;
  // Deletes the account and its API tokens. NotFound; Conflict for the deployment's account,
  // the actor itself, and an account that owns workspaces.
  virtual Status Delete(const std::string& actor, const std::string& username) = 0;
};

}  // namespace rockpool
