// The one way the CLI's API commands (`ws`, `token`, `login`, `logout`) reach the API: resolve
// the client configuration (client_config.h), connect, run, and turn a failure into
// "error: <message>" on stderr and exit status 1.
#pragma once

#include <functional>

#include "client/api_client.h"
#include "client/client_config.h"

namespace rockpool::client {

using ApiCommand = std::function<Status(ApiClient& api, const ClientConfig& config)>;

// Throws CLI::RuntimeError(1) after printing the error when `command` fails.
void RunWithApi(const ClientFlags& flags, const ApiCommand& command);

}  // namespace rockpool::client
