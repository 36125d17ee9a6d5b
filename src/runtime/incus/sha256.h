// SHA-256 of a file: the fingerprint Incus/LXD give a unified image tarball.
#pragma once

#include <string>

#include "core/status.h"

namespace rockpool::incus {

// Lowercase hex SHA-256 of the bytes in `data`.
std::string Sha256Hex(std::string_view data);
// Lowercase hex SHA-256 of the file's contents, read in chunks.
Result<std::string> Sha256File(const std::string& path);

}  // namespace rockpool::incus
