// The runtime steps that make a workspace usable, shared by the worker and the benchmarks.
// A failure undoes the finished steps when `undo()` says so at that moment (a worker that has
// lost its job to another must leave the instance alone).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "runtime/runtime.h"

namespace rockpool {

inline constexpr std::chrono::seconds kHealthTimeout{60};

using UndoPolicy = std::function<bool()>;
inline bool AlwaysUndo() { return true; }

// For an instance just created (or adopted): configure code-server for /workspace/<name>,
// start, wait for /healthz. On failure the instance is removed.
Status BootNewInstance(Runtime& runtime, const std::string& name, const WorkspaceLimits& limits,
                       std::chrono::milliseconds health_timeout = kHealthTimeout,
                       const UndoPolicy& undo = AlwaysUndo);

// Start with `limits` (applied first when the instance's differ), wait for /healthz. On failure the
// instance is stopped again.
Status StartWorkspaceInstance(Runtime& runtime, const std::string& name,
                              const WorkspaceLimits& limits,
                              std::chrono::milliseconds health_timeout = kHealthTimeout,
                              const UndoPolicy& undo = AlwaysUndo);

}  // namespace rockpool
