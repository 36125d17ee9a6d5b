#include "websocket_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace rockpool::e2e {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

Result<std::string> WebSocketEcho(const std::string& host, int port, const std::string& target,
                                  const client::Credentials& creds, const std::string& message) {
  const std::string where = "websocket ws://" + host + ":" + std::to_string(port) + target;
  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    websocket::stream<beast::tcp_stream> ws(io);
    beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(15));
    beast::get_lowest_layer(ws).connect(resolver.resolve(host, std::to_string(port)));
    const std::string auth = "Basic " + Base64(creds.username + ":" + creds.password);
    ws.set_option(websocket::stream_base::decorator([auth](websocket::request_type& req) {
      req.set(beast::http::field::authorization, auth);
    }));
    websocket::response_type res;
    ws.handshake(res, host + ":" + std::to_string(port), target);
    ws.text(true);
    ws.write(asio::buffer(message));
    beast::flat_buffer buffer;
    ws.read(buffer);
    std::string answer = beast::buffers_to_string(buffer.data());
    beast::error_code ec;
    ws.close(websocket::close_code::normal, ec);
    return answer;
  } catch (const std::exception& e) {
    return Status::Unavailable(where + ": " + e.what());
  }
}

}  // namespace rockpool::e2e
