// Size-capped logs for daemons that write to a file opened with O_APPEND (their stdout):
// the file is copied aside and truncated in place, so the writer needs no signal and keeps
// its descriptor. A line written between the copy and the truncation can be lost.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace rockpool {

struct LogRotation {
  std::uintmax_t max_bytes = 10 << 20;  // rotate once the file is larger
  int keep = 5;                         // <path>.1 (newest) ... <path>.<keep>
};

// Rotates `path` when it is larger than policy.max_bytes; returns whether it did. Ok and
// false when the file does not exist.
Result<bool> RotateIfLarge(const std::string& path, const LogRotation& policy);

}  // namespace rockpool
