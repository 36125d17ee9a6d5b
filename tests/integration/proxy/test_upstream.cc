#include "test_upstream.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

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

bool SameName(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

RecordedRequest Record(const http::request<http::string_body>& req) {
  RecordedRequest r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  for (const auto& field : req) {
    r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  r.body_size = req.body().size();
  r.upgrade = websocket::is_upgrade(req);
  return r;
}

template <class Socket>
asio::awaitable<void> Serve(Socket socket, std::string name,
                            std::function<Reply(const std::string&, RecordedRequest)> handle) {
  try {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(16 * 1024 * 1024);
      co_await http::async_read(socket, buffer, parser, use_awaitable);
      http::request<http::string_body> req = parser.release();
      Reply reply = handle(name, Record(req));
      if (websocket::is_upgrade(req)) {
        co_await Echo(std::move(socket), std::move(req));
        co_return;
      }
      http::response<http::string_body> res{static_cast<http::status>(reply.status), req.version()};
      res.set(http::field::content_type, "text/plain");
      res.set("X-Seen-Forwarded-For", req["X-Forwarded-For"]);
      for (const auto& [k, v] : reply.headers) res.set(k, v);
      res.body() = reply.body;
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
asio::awaitable<void> AcceptLoop(Acceptor& acceptor, std::string name,
                                 std::function<Reply(const std::string&, RecordedRequest)> handle) {
  for (;;) {
    auto socket = co_await acceptor.async_accept(use_awaitable);
    asio::co_spawn(acceptor.get_executor(), Serve(std::move(socket), name, handle),
                   [](std::exception_ptr) {});
  }
}

template <class Protocol>
class Upstream final : public TestUpstream {
 public:
  Upstream(std::string name, typename Protocol::endpoint endpoint, std::string socket_path)
      : acceptor_(io_, endpoint), socket_path_(std::move(socket_path)) {
    auto handle = [this](const std::string& n, RecordedRequest r) {
      return Handle(n, std::move(r));
    };
    asio::co_spawn(io_, AcceptLoop(acceptor_, std::move(name), handle), [](std::exception_ptr) {});
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

std::vector<std::string> RecordedRequest::Values(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers) {
    if (SameName(k, name)) out.push_back(v);
  }
  return out;
}

std::string RecordedRequest::Header(const std::string& name) const {
  auto values = Values(name);
  return values.empty() ? "" : values.front();
}

void TestUpstream::SetResponder(Responder responder) {
  std::lock_guard lock(mu_);
  responder_ = std::move(responder);
}

std::vector<RecordedRequest> TestUpstream::Recorded() const {
  std::lock_guard lock(mu_);
  return recorded_;
}

std::vector<RecordedRequest> TestUpstream::RecordedUnder(const std::string& prefix) const {
  std::vector<RecordedRequest> out;
  for (auto& r : Recorded()) {
    if (r.target.rfind(prefix, 0) == 0) out.push_back(std::move(r));
  }
  return out;
}

Reply TestUpstream::Handle(const std::string& name, RecordedRequest request) {
  ++requests_;
  Responder responder;
  {
    std::lock_guard lock(mu_);
    recorded_.push_back(request);
    responder = responder_;
  }
  if (responder) return responder(request);
  return Reply{200, {}, name + " " + request.target};
}

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

// Ports after a free one may be taken: each candidate range is bound whole before it is given.
int FreeLoopbackPorts(int count) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int first = FreeLoopbackPort();
    if (first + count - 1 > 65535) continue;
    asio::io_context io;
    std::vector<asio::ip::tcp::acceptor> bound;
    boost::system::error_code error;
    for (int port = first; port < first + count && !error; ++port) {
      asio::ip::tcp::acceptor& acceptor = bound.emplace_back(io);
      acceptor.open(asio::ip::tcp::v4(), error);
      if (!error) {
        acceptor.bind({asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)}, error);
      }
    }
    if (!error) return first;
  }
  return 0;
}

}  // namespace rockpool::testing
