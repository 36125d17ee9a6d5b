// Folders only their owner may enter: Rockpool's state and logs hold the store, credentials,
// sockets and logs, none of which another local user may read.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace rockpool {

// Creates `dir` (and missing parents) when missing, then gives it mode 0700 and each regular
// file directly inside it mode 0600. Sub-folders keep their modes: the folder's own 0700
// already closes them to others.
Status MakePrivateDir(const std::string& dir);

// Paths among `dir` and the regular files directly inside it that group or others may read,
// write or enter; empty when `dir` is private. NotFound when `dir` does not exist.
Result<std::vector<std::string>> ExposedPaths(const std::string& dir);

}  // namespace rockpool
