// Clients for what libcurl will not send as it is: a request line with dot segments or
// backslashes, and WebSocket handshakes with chosen headers.
#pragma once

#include <memory>
#include <string>

#include "test_upstream.h"

namespace rockpool::testing {

struct RawResponse {
  int status = 0;  // 0: no answer (the error says why)
  HeaderList headers;
  std::string body;
  std::string error;
  std::string Header(const std::string& name) const;
};

// Sends `method target HTTP/1.1` with Host: 127.0.0.1:<port> (unless `headers` has a Host)
// and `headers`, byte for byte, and reads one answer.
RawResponse RawRequest(int port, const std::string& method, const std::string& target,
                       const HeaderList& headers = {});

// A WebSocket client connected through 127.0.0.1:<port><target>.
class WsClient {
 public:
  WsClient(int port, const std::string& target, const HeaderList& headers = {});
  ~WsClient();
  // Empty when the handshake succeeded; otherwise what went wrong, with the HTTP status the
  // server answered when it refused ("status 401: ...").
  const std::string& handshake_error() const;
  int refused_status() const;
  // Sends `text` and returns the echo, or "error: ..." for the error that ended the connection.
  std::string Echo(const std::string& text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rockpool::testing
