#include "auth/api_token.h"

#include <sodium.h>

#include <array>

#include "auth/basic_header.h"
#include "auth/digest.h"

namespace rockpool::auth {
namespace {

constexpr size_t kSecretBytes = 32;
constexpr size_t kEncodedLength = 43;  // 32 bytes in unpadded Base64

bool IsUrlSafeBase64(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

std::string NewSecret(std::string_view prefix) {
  std::array<unsigned char, kSecretBytes> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, kEncodedLength + 1> encoded{};
  sodium_bin2base64(encoded.data(), encoded.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes.data(), bytes.size());
  return std::string(prefix) + std::string(encoded.data(), kEncodedLength);
}

bool LooksLikeSecret(std::string_view secret, std::string_view prefix) {
  if (!secret.starts_with(prefix)) return false;
  const std::string_view body = secret.substr(prefix.size());
  if (body.size() != kEncodedLength) return false;
  for (char c : body) {
    if (!IsUrlSafeBase64(c)) return false;
  }
  return true;
}

std::string NewTokenSecret() { return NewSecret(kTokenPrefix); }
bool LooksLikeTokenSecret(std::string_view secret) { return LooksLikeSecret(secret, kTokenPrefix); }
std::string NewSessionSecret() { return NewSecret(kSessionPrefix); }
bool LooksLikeSessionSecret(std::string_view secret) {
  return LooksLikeSecret(secret, kSessionPrefix);
}

std::string TokenDigest(std::string_view secret) {
  static constexpr char kHex[] = "0123456789abcdef";
  const Sha256Digest digest = Sha256(secret);
  std::string out;
  out.reserve(digest.size() * 2);
  for (uint8_t b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

std::string PasswordBinding(std::string_view password_hash) {
  return TokenDigest(password_hash).substr(0, 32);
}

std::optional<std::string> ParseBearerAuthorization(std::string_view value) {
  auto secret = AuthorizationCredentials(value, "bearer");
  if (!secret) return std::nullopt;
  return std::string(*secret);
}

}  // namespace rockpool::auth
