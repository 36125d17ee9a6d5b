// One look at code-server's health, shared by the runtimes' WaitHealthy loops.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "http/client.h"

namespace rockpool {

// GET /healthz through `client` (a workspace's host socket), given the time left until
// `deadline`, between 0.1 and 2 s. nullopt when code-server answered 200; otherwise what it
// answered, or why nothing did.
std::optional<std::string> ProbeCodeServer(HttpClient& client,
                                           std::chrono::steady_clock::time_point deadline);

}  // namespace rockpool
