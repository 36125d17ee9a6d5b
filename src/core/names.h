// Validation of the names and numbers a person types: checked before anything reaches the
// runtime or the proxy, with messages that say what is wrong and how to fix it.
#pragma once

#include <string_view>

#include "core/status.h"

namespace rockpool {

inline constexpr int kMinPort = 1024;
inline constexpr int kMaxPort = 65535;
inline constexpr int kMaxPortsPerWorkspace = 5;

// A workspace name: 3-63 characters, lowercase letters, digits and inner hyphens
// (^[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])$), and not shaped like a workspace id. It becomes a URL
// segment, an instance name and a socket file name, so nothing else is allowed. A reference to a
// workspace is an id or else a name, while the proxy finds a workspace by its name only: a name
// that looks like an id would make the two disagree on which workspace is meant.
Status ValidateWorkspaceName(std::string_view name);

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" in lowercase hex: the shape of a workspace id.
bool LooksLikeUuid(std::string_view s);

// A forwardable port: 1024-65535.
Status ValidatePort(long port);

}  // namespace rockpool
