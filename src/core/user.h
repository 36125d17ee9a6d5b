// Accounts: who may sign in, and what they may do.
//   admin   sees and controls every workspace, and manages accounts.
//   member  sees and controls only the workspaces it created; any other workspace is, to it,
//           a workspace that does not exist.
// The deployment's own admin account (ROCKPOOL_USERNAME, or the one `rockpool up` made) lives
// in <state>/auth.json; the accounts admins make live in the store (store/user_repository.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rockpool {

enum class Role { kAdmin, kMember };

inline std::string_view RoleName(Role role) { return role == Role::kAdmin ? "admin" : "member"; }

inline std::optional<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "member") return Role::kMember;
  return std::nullopt;
}

struct User {
  std::string username;
  std::string password_hash;  // argon2id (auth/password_hash.h)
  Role role = Role::kMember;
  bool disabled = false;
  std::string created_at;  // RFC 3339, UTC
};

// The shortest password an account may have.
inline constexpr size_t kMinPasswordLength = 12;

// A username an admin may give an account: 2-32 characters, lowercase letters, digits and
// "._-", starting with a letter (api/openapi.yaml's Username).
inline bool ValidNewUsername(std::string_view name) {
  if (name.size() < 2 || name.size() > 32 || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace rockpool
