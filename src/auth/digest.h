// Digests and comparisons for secrets (OpenSSL's libcrypto).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace rockpool {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);

// Equal contents, in time that depends only on the lengths (never on where they differ).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace rockpool
