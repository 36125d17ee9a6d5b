// The value of an `Authorization: Basic <base64(user:password)>` header (RFC 7617).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rockpool::auth {

struct BasicCredentials {
  std::string username;
  std::string password;
};

// nullopt when `value` is not the Basic scheme with well-formed Base64 holding a ':'.
std::optional<BasicCredentials> ParseBasicAuthorization(std::string_view value);

// What follows the scheme of an Authorization header's `value`, without surrounding blanks;
// nullopt when the scheme is not `scheme` (lowercase; compared case-insensitively).
std::optional<std::string_view> AuthorizationCredentials(std::string_view value,
                                                         std::string_view scheme);

// RFC 4648 Base64 (standard alphabet, '=' padding optional); nullopt when malformed.
std::optional<std::string> DecodeBase64(std::string_view in);

}  // namespace rockpool::auth
