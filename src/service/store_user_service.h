// StoreUserService: accounts kept in the Store, beside the deployment's own admin account from
// the CredentialSource. Passwords are hashed with argon2id (auth/password_hash.h) on the calling
// thread: about 60 ms, paid only when an admin makes an account or sets a password.
#pragma once

#include "auth/credential_source.h"
#include "service/user_service.h"
#include "store/store.h"

namespace rockpool {

class StoreUserService final : public UserService {
 public:
  // Both must outlive the service.
  StoreUserService(Store& store, auth::CredentialSource& credentials)
      : store_(store), credentials_(credentials) {}

  Result<std::optional<User>> Find(const std::string& username) override;
  Result<std::string> DeploymentAccount() override;
  Result<UserInfo> Info(const std::string& username) override;
  Result<std::vector<UserInfo>> List() override;
  Result<UserInfo> Create(const std::string& username, const std::string& password,
                          Role role) override;
  Result<UserInfo> Update(const std::string& actor, const std::string& username,
                          const UserChange& change) override;
  Status ChangePassword(const std::string& username, const std::string& current,
                        const std::string& replacement) override;
  Status Delete(const std::string& actor, const std::string& username) override;

 private:
  // Conflict when `username` is the deployment's account, which only `rockpool up` changes.
  Status NotTheDeploymentAccount(const std::string& username, std::string_view verb);

  Store& store_;
  auth::CredentialSource& credentials_;
};

}  // namespace rockpool
