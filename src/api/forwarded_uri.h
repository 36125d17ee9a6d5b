// The workspace a request the proxy asks about (X-Forwarded-Uri of GET /internal/authorize) is
// for: /workspace/<name>/... , its IDE or one of its forwarded ports.
//
// The proxy picks the workspace from the request's path decoded and cleaned (Caddy's path
// matchers percent-decode it and merge doubled slashes), so the name is read from the path the
// same way: `//workspace/a%2Db/` is workspace a-b's, exactly as the proxy will route it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rockpool::api {

// The <name> of a /workspace/<name>[/...][?...] URI; nullopt for any other path. InvalidArgument
// for a path that is not valid percent-encoding, or has a dot segment (raw or encoded), an
// encoded slash or backslash, or a NUL: a proxy that resolves them differently could reach
// another workspace than the one named here.
Result<std::optional<std::string>> ForwardedWorkspace(std::string_view uri);

}  // namespace rockpool::api
