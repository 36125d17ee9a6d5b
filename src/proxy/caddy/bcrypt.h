// bcrypt hashes for Caddy's http_basic accounts, from libxcrypt. Caddy accepts "$2b$".
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace rockpool {

// A "$2b$<cost>$..." hash of `password` with a fresh random salt. cost: 4-31; each step
// doubles the time of a check (10 is about 60 ms here; Caddy's hash_cache pays it once).
Result<std::string> HashPassword(std::string_view password, int cost = 10);

// True when `password` matches `hash` (any scheme crypt_r knows).
bool PasswordMatches(std::string_view password, const std::string& hash);

}  // namespace rockpool
