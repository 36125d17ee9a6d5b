// A failure of the container engine (or of another adapter the service calls), as an API client
// sees it. The engine's own code must never pass through as the client's: an engine 404 or 409
// is not "your workspace does not exist" or "your request conflicts". So the code becomes
// Unavailable (the engine cannot be reached) or DeadlineExceeded (it did not answer in time), and
// anything else Internal; the client's message names the engine and what was attempted, and the
// engine's own answer goes to the log.
#pragma once

#include <string_view>

#include "core/status.h"

namespace rockpool {

// REQUIRES: !failure.ok(). `what` says what was attempted ("forward port 3000 of workspace
// \"demo\""); `engine` names the adapter ("the container engine").
Status EngineFailure(const Status& failure, std::string_view what,
                     std::string_view engine = "the container engine");

}  // namespace rockpool
