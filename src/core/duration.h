// Durations as people write them ("45m", "1h30m", "90s", "0") and read them ("30 min"), for
// settings such as a workspace's idle timeout. Whole seconds only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rockpool {

// "0", "1800" (seconds), or one or more <number><unit> with units h, m, s ("1h30m").
// InvalidArgument, naming `what` and the accepted forms, for anything else or a value above
// `max_seconds`.
Result<int64_t> ParseDurationSeconds(std::string_view text, std::string_view what,
                                     int64_t max_seconds);

// "never" for 0 (when `zero_is_never`), else the largest units that fit: "30 min",
// "1 h 30 min", "45 s", "2 h".
std::string FormatDurationSeconds(int64_t seconds, bool zero_is_never = true);

}  // namespace rockpool
