#include "test_upstream.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <thread>
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast.hpp>

namespace rockpool::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::use_awaitable;

template <class Socket>
asio::awaitable<void> Echo(Socket socket, http::request<http::string_body> req) {
  websocket::stream<Socket> ws(std::move(socket));
  co_await ws.async_accept(req, use_awaitable);
  for (;;) {
    beast::flat_buffer message;
    co_await ws.async_read(message, use_awaitable);
    ws.text(ws.got_text());
    co_await ws.async_write(message.data(), use_awaitable);
  }
}

template <class Socket>
asio::awaitable<void> Serve(Socket socket, std::string name, std::atomic<int>* requests) {
  try {
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      co_await http::async_read(socket, buffer, req, use_awaitable);
      ++*requests;
      if (websocket::is_upgrade(req)) {
        co_await Echo(std::move(socket), std::move(req));
        co_return;
      }
      http::response<http::string_body> res{http::status::ok, req.version()};
      res.set(http::field::content_type, "text/plain");
      res.set("X-Seen-Forwarded-For", req["X-Forwarded-For"]);
      res.set("X-Seen-Authorization", req[http::field::authorization]);
      res.body() = name + " " + std::string(req.target());
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      co_await http::async_write(socket, res, use_awaitable);
      if (!res.keep_alive()) co_return;
    }
  } catch (const std::exception&) {
    // The peer went away; nothing to report.
  }
}

template <class Acceptor>
asio::awaitable<void> AcceptLoop(Acceptor& acceptor, std::string name, std::atomic<int>* count) {
  for (;;) {
    auto socket = co_await acceptor.async_accept(use_awaitable);
    asio::co_spawn(acceptor.get_executor(), Serve(std::move(socket), name, count),
                   [](std::exception_ptr) {});
  }
}

template <class Protocol>
class Upstream final : public TestUpstream {
 public:
  Upstream(std::string name, typename Protocol::endpoint endpoint, std::string socket_path)
      : acceptor_(io_, endpoint), socket_path_(std::move(socket_path)) {
    asio::co_spawn(io_, AcceptLoop(acceptor_, std::move(name), &requests_),
                   [](std::exception_ptr) {});
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Upstream() override {
    io_.stop();
    thread_.join();
    if (!socket_path_.empty()) std::filesystem::remove(socket_path_);
  }
  int port() const override {
    if constexpr (std::is_same_v<Protocol, asio::ip::tcp>) {
      return acceptor_.local_endpoint().port();
    }
    return 0;
  }

 private:
  asio::io_context io_;
  typename Protocol::acceptor acceptor_;
  std::string socket_path_;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<TestUpstream> TestUpstream::OnUnixSocket(std::string name, std::string path) {
  std::filesystem::remove(path);
  asio::local::stream_protocol::endpoint endpoint(path);
  return std::make_unique<Upstream<asio::local::stream_protocol>>(std::move(name), endpoint, path);
}

std::unique_ptr<TestUpstream> TestUpstream::OnLoopback(std::string name) {
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  return std::make_unique<Upstream<asio::ip::tcp>>(std::move(name), endpoint, "");
}

void MakeStaleSocket(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  close(fd);  // the file stays; nobody listens on it
}

int FreeLoopbackPort() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

}  // namespace rockpool::testing
