// The workspace a request the proxy asks about (X-Forwarded-Uri of GET /internal/authorize) is
// for: /workspace/<name>/... , its IDE or one of its forwarded ports.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rockpool::api {

// The <name> of a /workspace/<name>[/...][?...] URI; nullopt for any other path. InvalidArgument
// for a path with a dot segment, raw or percent-encoded, or an encoded slash: a proxy that
// resolves them could reach another workspace than the one named here.
Result<std::optional<std::string>> ForwardedWorkspace(std::string_view uri);

}  // namespace rockpool::api
