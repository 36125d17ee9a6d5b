// bcrypt password hashes from libxcrypt ("$2b$", which Caddy and every bcrypt library accept).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace rockpool {

// A "$2b$<cost>$..." hash of `password` with a fresh random salt. cost: 4-31; each step
// doubles the time of a check. 10 (about 60 ms on a 2-core build machine) is what Rockpool
// writes: the control plane pays it once per new sign-in (verified credentials are cached)
// and for every wrong password, on a bounded verifier thread.
Result<std::string> HashPassword(std::string_view password, int cost = 10);

// True when `password` matches `hash` (any scheme crypt_r knows). Compares in constant time.
bool PasswordMatches(std::string_view password, const std::string& hash);

}  // namespace rockpool
