// A one-shot WebSocket exchange over Boost.Beast: connect, upgrade (with basic auth), send one
// text message, read one answer.
#pragma once

#include <string>

#include "client/api_client.h"
#include "core/status.h"

namespace rockpool::e2e {

Result<std::string> WebSocketEcho(const std::string& host, int port, const std::string& target,
                                  const client::Credentials& creds, const std::string& message);

}  // namespace rockpool::e2e
