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

// RFC 4648 Base64 (standard alphabet, '=' padding optional); nullopt when malformed.
std::optional<std::string> DecodeBase64(std::string_view in);

}  // namespace rockpool::auth
