#include "auth/password_hash.h"

#include <crypt.h>
#include <sodium.h>

#include <memory>
#include <regex>

#include "auth/digest.h"

namespace rockpool {
namespace {

constexpr size_t kMaxPasswordBytes = 1024;

bool IsBcrypt(const std::string& hash) {
  static const std::regex kBcrypt(R"(^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$)");
  return std::regex_match(hash, kBcrypt);
}

bool IsArgon2id(const std::string& hash) {
  static const std::regex kArgon2id(
      R"(^\$argon2id\$v=19\$m=[0-9]{1,10},t=[0-9]{1,10},p=[0-9]{1,3}\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$)");
  return hash.size() < crypto_pwhash_STRBYTES && std::regex_match(hash, kArgon2id);
}

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// bcrypt through libxcrypt, for hashes written by earlier releases. bcrypt reads at most 72
// bytes, up to the first NUL: a longer password would match on its prefix alone.
bool BcryptMatches(std::string_view password, const std::string& hash) {
  if (password.size() > 72) return false;
  auto data = std::make_unique<crypt_data>();  // about 32 KiB: not on the stack
  std::string pw(password);
  const char* out = crypt_r(pw.c_str(), hash.c_str(), data.get());
  return out != nullptr && out[0] != '*' && ConstantTimeEquals(hash, out);
}

}  // namespace

PasswordHashCost DefaultPasswordHashCost() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordHashCost TestPasswordHashCost() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<std::string> HashPassword(std::string_view password, PasswordHashCost cost) {
  if (password.find('\0') != std::string_view::npos || password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument("hash password: a password has at most " +
                                   std::to_string(kMaxPasswordBytes) +
                                   " bytes and no NUL character");
  }
  if (!SodiumReady()) return Status::Internal("hash password: libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.passes, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("hash password: argon2id ran out of memory (" +
                            std::to_string(cost.memory_bytes >> 20) + " MiB)");
  }
  return std::string(out);
}

bool PasswordMatches(std::string_view password, const std::string& hash) {
  if (password.find('\0') != std::string_view::npos || password.size() > kMaxPasswordBytes) {
    return false;  // HashPassword never accepts such a password
  }
  if (IsArgon2id(hash)) {
    return SodiumReady() &&
           crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  }
  return IsBcrypt(hash) && BcryptMatches(password, hash);
}

bool ValidPasswordHash(const std::string& hash) { return IsArgon2id(hash) || IsBcrypt(hash); }

bool NeedsRehash(const std::string& hash) { return !IsArgon2id(hash); }

}  // namespace rockpool
