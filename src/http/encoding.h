// Encodings HTTP needs in several places: Base64 for basic auth, percent-encoding for paths
// and query values, and the basic-auth header itself.
#pragma once

#include <string>
#include <string_view>

#include "http/client.h"

namespace rockpool {

// RFC 4648 Base64 with padding.
std::string Base64(std::string_view in);

// Percent-encodes everything but RFC 3986's unreserved characters, and also keeps '/' when
// `keep_slashes` (a file path as one query value, readable in logs).
std::string UrlEncode(std::string_view in, bool keep_slashes = false);

// {"Authorization", "Basic ..."} for `user`:`password`.
Headers BasicAuthHeader(std::string_view user, std::string_view password);

// BasicAuthHeader from ROCKPOOL_USERNAME / ROCKPOOL_PASSWORD; empty when either is unset.
Headers BasicAuthFromEnvironment();

}  // namespace rockpool
