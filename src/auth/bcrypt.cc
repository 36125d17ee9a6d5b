#include "auth/bcrypt.h"

#include <crypt.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "auth/digest.h"

namespace rockpool {

Result<std::string> HashPassword(std::string_view password, int cost) {
  if (cost < 4 || cost > 31) {
    return Status::InvalidArgument("hash password: bcrypt cost " + std::to_string(cost) +
                                   " is outside 4-31");
  }
  if (password.find('\0') != std::string_view::npos || password.size() > 72) {
    return Status::InvalidArgument(
        "hash password: bcrypt takes at most 72 bytes and no NUL character");
  }
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  // A null random source makes libxcrypt read the system's random bytes itself.
  if (crypt_gensalt_rn("$2b$", cost, nullptr, 0, setting, sizeof setting) == nullptr) {
    return Status::Internal(std::string("hash password: crypt_gensalt_rn: ") +
                            std::strerror(errno));
  }
  auto data = std::make_unique<crypt_data>();  // about 32 KiB: not on the stack
  std::string pw(password);
  const char* hash = crypt_r(pw.c_str(), setting, data.get());
  if (hash == nullptr || hash[0] == '*') {
    return Status::Internal(std::string("hash password: crypt_r: ") + std::strerror(errno));
  }
  return std::string(hash);
}

bool PasswordMatches(std::string_view password, const std::string& hash) {
  // bcrypt reads at most 72 bytes, up to the first NUL: a longer or NUL-carrying password
  // would match on its prefix alone. HashPassword never accepts such a password.
  if (password.find('\0') != std::string_view::npos || password.size() > 72) return false;
  auto data = std::make_unique<crypt_data>();
  std::string pw(password);
  const char* out = crypt_r(pw.c_str(), hash.c_str(), data.get());
  return out != nullptr && out[0] != '*' && ConstantTimeEquals(hash, out);
}

}  // namespace rockpool
