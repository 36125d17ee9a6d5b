#include "raw_client.h"

#include <utility>

#include <boost/asio.hpp>
#include <boost/beast.hpp>

namespace rockpool::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

bool SameName(const std::string& a, const std::string& b) { return beast::iequals(a, b); }

}  // namespace

std::string RawResponse::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (SameName(k, name)) return v;
  }
  return "";
}

RawResponse RawRequest(int port, const std::string& method, const std::string& target,
                       const HeaderList& headers) {
  RawResponse out;
  try {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    std::string text = method + " " + target + " HTTP/1.1\r\n";
    bool has_host = false;
    for (const auto& [k, v] : headers) has_host |= SameName(k, "Host");
    if (!has_host) text += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
    for (const auto& [k, v] : headers) text += k + ": " + v + "\r\n";
    text += "Connection: close\r\n\r\n";
    asio::write(socket, asio::buffer(text));
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    out.status = res.result_int();
    for (const auto& f : res) {
      out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    out.body = res.body();
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

struct WsClient::Impl {
  asio::io_context io;
  websocket::stream<asio::ip::tcp::socket> ws{io};
  std::string error;
  int refused_status = 0;
};

WsClient::WsClient(int port, const std::string& target, const HeaderList& headers)
    : impl_(std::make_unique<Impl>()) {
  try {
    impl_->ws.next_layer().connect(
        {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    impl_->ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& r) {
      for (const auto& [k, v] : headers) r.insert(k, v);
    }));
    websocket::response_type response;
    beast::error_code ec;
    impl_->ws.handshake(response, "127.0.0.1:" + std::to_string(port), target, ec);
    if (ec) {
      impl_->refused_status = response.result_int();
      impl_->error = "status " + std::to_string(response.result_int()) + ": " + ec.message();
    }
  } catch (const std::exception& e) {
    impl_->error = e.what();
  }
}

WsClient::~WsClient() = default;

const std::string& WsClient::handshake_error() const { return impl_->error; }

int WsClient::refused_status() const { return impl_->refused_status; }

std::string WsClient::Echo(const std::string& text) {
  try {
    impl_->ws.write(asio::buffer(text));
    beast::flat_buffer buffer;
    impl_->ws.read(buffer);
    return beast::buffers_to_string(buffer.data());
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
}

}  // namespace rockpool::testing
