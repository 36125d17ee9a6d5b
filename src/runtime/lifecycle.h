// The runtime steps that make a workspace usable, shared by the CLI's direct commands and the
// worker: each step is idempotent and a failure undoes the finished steps.
#pragma once

#include <chrono>
#include <string>

#include "runtime/runtime.h"

namespace rockpool {

inline constexpr std::chrono::seconds kHealthTimeout{60};

// Create -> configure code-server for /workspace/<name> -> start -> wait for /healthz.
// On failure the instance is removed again (nothing half-created). An instance that already
// exists is AlreadyExists and is left alone.
Status CreateWorkspaceInstance(Runtime& runtime, const std::string& name, const std::string& image,
                               std::chrono::milliseconds health_timeout = kHealthTimeout);

// Start -> wait for /healthz. On failure the instance is stopped again.
Status StartWorkspaceInstance(Runtime& runtime, const std::string& name,
                              std::chrono::milliseconds health_timeout = kHealthTimeout);

std::string BasePath(const std::string& name);  // "/workspace/<name>"

}  // namespace rockpool
