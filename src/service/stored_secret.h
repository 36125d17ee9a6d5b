// How the gate finds an API token or a browser session by its secret: one indexed read of the
// secret's digest (store/token_repository.h).
#pragma once

#include <optional>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

namespace rockpool {

// The token or session of `kind` whose secret is `secret`; nullopt when there is none of that
// kind. Unavailable, naming `what` ("the API token"), when the store cannot be asked.
Result<std::optional<ApiToken>> FindStoredSecret(Store& store, std::string_view secret,
                                                 CredentialKind kind, std::string_view what);

}  // namespace rockpool
