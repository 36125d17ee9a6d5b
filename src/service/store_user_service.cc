#include "service/store_user_service.h"

#include "auth/password_hash.h"

namespace rockpool {
namespace {

UserInfo InfoOf(const User& u) {
  return UserInfo{u.username, u.role, u.disabled, false, u.created_at};
}

Status CheckPassword(const std::string& password) {
  if (password.size() < kMinPasswordLength) {
    return Status::InvalidArgument("the password is " + std::to_string(password.size()) +
                                   " characters long; use at least " +
                                   std::to_string(kMinPasswordLength));
  }
  return Status::Ok();
}

Status NoSuchUser(const std::string& username) {
  return Status::NotFound("there is no user \"" + username +
                          "\"; list them with `rockpool user ls`");
}

}  // namespace

Result<std::optional<User>> StoreUserService::Find(const std::string& username) {
  auto found = store_.users().Find(username);
  if (!found.ok()) {
    return Status::Unavailable("the store could not be asked about user \"" + username +
                               "\": " + found.status().message());
  }
  return found;
}

Result<std::string> StoreUserService::DeploymentAccount() {
  RP_ASSIGN_OR_RETURN(auto current, credentials_.Current());
  return current.username;
}

Status StoreUserService::NotTheDeploymentAccount(const std::string& username,
                                                 std::string_view verb) {
  RP_ASSIGN_OR_RETURN(auto deployment, DeploymentAccount());
  if (username != deployment) return Status::Ok();
  return Status::Conflict(
      "\"" + username + "\" is the deployment's own admin account, which cannot be " +
      std::string(verb) +
      " here: set ROCKPOOL_USERNAME and ROCKPOOL_PASSWORD and run `rockpool up`");
}

Result<UserInfo> StoreUserService::Info(const std::string& username) {
  RP_ASSIGN_OR_RETURN(auto deployment, DeploymentAccount());
  if (username == deployment) return UserInfo{deployment, Role::kAdmin, false, true, ""};
  RP_ASSIGN_OR_RETURN(auto found, store_.users().Find(username));
  if (!found) return NoSuchUser(username);
  return InfoOf(*found);
}

Result<std::vector<UserInfo>> StoreUserService::List() {
  RP_ASSIGN_OR_RETURN(auto deployment, DeploymentAccount());
  std::vector<UserInfo> out{UserInfo{deployment, Role::kAdmin, false, true, ""}};
  RP_ASSIGN_OR_RETURN(auto users, store_.users().List());
  for (const User& u : users) {
    if (u.username != deployment) out.push_back(InfoOf(u));
  }
  return out;
}

Result<UserInfo> StoreUserService::Create(const std::string& username, const std::string& password,
                                          Role role) {
  if (!ValidNewUsername(username)) {
    return Status::InvalidArgument(
        "invalid username \"" + username.substr(0, 64) +
        "\": use 2-32 lowercase letters, digits and ._- starting with a letter");
  }
  RP_RETURN_IF_ERROR(CheckPassword(password));
  RP_ASSIGN_OR_RETURN(auto deployment, DeploymentAccount());
  if (username == deployment) {
    return Status::AlreadyExists("user \"" + username + "\" already exists");
  }
  User user;
  user.username = username;
  user.role = role;
  RP_ASSIGN_OR_RETURN(user.password_hash, HashPassword(password));
  RP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    // Workspaces or tokens left by a former account of that name (the deployment's, before
    // ROCKPOOL_USERNAME changed) must not pass to a new one.
    RP_ASSIGN_OR_RETURN(auto owned, store_.workspaces().List(1, std::nullopt, username));
    RP_ASSIGN_OR_RETURN(auto tokens, store_.tokens().List(username));
    if (!owned.items.empty() || !tokens.empty()) {
      return Status::Conflict("\"" + username +
                              "\" still owns workspaces or API tokens of a former account of "
                              "that name; pick another name");
    }
    // Its sessions could not sign in anyway (they are bound to the former password).
    RP_RETURN_IF_ERROR(store_.tokens().DeleteSessions(username, "").status());
    RP_ASSIGN_OR_RETURN(user, store_.users().Insert(user));
    return Status::Ok();
  }));
  return InfoOf(user);
}

Result<UserInfo> StoreUserService::Update(const std::string& actor, const std::string& username,
                                          const UserChange& change) {
  RP_RETURN_IF_ERROR(NotTheDeploymentAccount(username, "changed"));
  const bool demoted = change.role && *change.role != Role::kAdmin;
  if (actor == username && (change.disabled.value_or(false) || demoted)) {
    return Status::Conflict("you cannot disable or demote your own account \"" + username +
                            "\"; another admin can");
  }
  std::optional<std::string> hash;
  if (change.password) {
    RP_RETURN_IF_ERROR(CheckPassword(*change.password));
    RP_ASSIGN_OR_RETURN(hash, HashPassword(*change.password));
  }
  User updated;
  RP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    RP_ASSIGN_OR_RETURN(auto found, store_.users().Find(username));
    if (!found) return NoSuchUser(username);
    updated = *found;
    if (change.disabled) updated.disabled = *change.disabled;
    if (change.role) updated.role = *change.role;
    if (hash) updated.password_hash = *hash;
    return store_.users().Update(updated);
  }));
  return InfoOf(updated);
}

Status StoreUserService::ChangePassword(const std::string& username, const std::string& current,
                                        const std::string& replacement) {
  RP_RETURN_IF_ERROR(NotTheDeploymentAccount(username, "changed"));
  RP_RETURN_IF_ERROR(CheckPassword(replacement));
  RP_ASSIGN_OR_RETURN(auto found, store_.users().Find(username));
  if (!found) return NoSuchUser(username);
  if (!PasswordMatches(current, found->password_hash)) {
    return Status::PermissionDenied("the current password is wrong");
  }
  RP_ASSIGN_OR_RETURN(std::string hash, HashPassword(replacement));
  return store_.Transaction([&]() -> Status {
    RP_ASSIGN_OR_RETURN(auto now, store_.users().Find(username));
    if (!now) return NoSuchUser(username);
    // Changed meanwhile (by an admin, or another request of its own): the check above was
    // against a password that is no longer the account's.
    if (now->password_hash != found->password_hash) {
      return Status::Conflict("the password of \"" + username + "\" changed meanwhile; try again");
    }
    now->password_hash = hash;
    return store_.users().Update(*now);
  });
}

Status StoreUserService::Delete(const std::string& actor, const std::string& username) {
  RP_RETURN_IF_ERROR(NotTheDeploymentAccount(username, "deleted"));
  if (actor == username) {
    return Status::Conflict("you cannot delete your own account \"" + username +
                            "\"; another admin can");
  }
  return store_.Transaction([&]() -> Status {
    RP_ASSIGN_OR_RETURN(auto found, store_.users().Find(username));
    if (!found) return NoSuchUser(username);
    RP_ASSIGN_OR_RETURN(auto owned, store_.workspaces().List(1, std::nullopt, username));
    if (!owned.items.empty()) {
      return Status::Conflict("user \"" + username + "\" owns workspaces (\"" +
                              owned.items[0].name +
                              "\" among them); delete them first, or disable the account instead");
    }
    RP_ASSIGN_OR_RETURN(auto tokens, store_.tokens().List(username));
    for (const ApiToken& t : tokens) RP_RETURN_IF_ERROR(store_.tokens().Delete(username, t.id));
    RP_RETURN_IF_ERROR(store_.tokens().DeleteSessions(username, "").status());
    return store_.users().Delete(username);
  });
}

}  // namespace rockpool
