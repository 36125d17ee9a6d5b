#include "api/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "api/api_error.h"
#include "api/api_handler.h"
#include "api/contract.h"

namespace rockpool::api {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);

class Session;

class ApiServer::Impl {
 public:
  Impl(ApiOptions options, WorkspaceService& service, Metrics& metrics)
      : options_(std::move(options)), service_(service), metrics_(metrics) {}

  Status Listen();
  void Run();
  void Stop();
  int port() const { return port_; }

  const ApiOptions& options() const { return options_; }
  const ApiHandler& handler() const { return *handler_; }
  Metrics& metrics() { return metrics_; }
  bool stopping() const { return stopping_.load(); }
  void Register(Session* s, std::weak_ptr<Session> w);
  void Unregister(Session* s);

 private:
  net::awaitable<void> AcceptLoop();

  ApiOptions options_;
  WorkspaceService& service_;
  Metrics& metrics_;
  std::optional<Contract> contract_;
  std::optional<ApiHandler> handler_;
  // Before ioc_, so they outlive it: destroying the io_context destroys pending handlers,
  // and a handler holding the last reference to a Session unregisters it.
  std::mutex sessions_mu_;
  std::map<Session*, std::weak_ptr<Session>> sessions_;
  net::io_context ioc_;
  tcp::acceptor acceptor_{net::make_strand(ioc_)};
  std::optional<net::signal_set> signals_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
};

// One connection: reads requests one after another (keep-alive) and answers each.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ApiServer::Impl& server, tcp::socket socket)
      : server_(server), stream_(std::move(socket)) {}
  ~Session() { server_.Unregister(this); }

  net::awaitable<void> Loop();
  // Runs on the session's strand: a connection waiting for its next request is closed.
  void CloseIfIdle() {
    if (idle_) stream_.socket().cancel();
  }
  net::any_io_executor executor() { return stream_.get_executor(); }

 private:
  using Response = http::response<http::string_body>;
  Response Answer(http::request<http::string_body>& req, ApiResponse* api) const;
  net::awaitable<void> SendErrorAndClose(const ApiError& error);

  ApiServer::Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bool idle_ = true;
};

Session::Response Session::Answer(http::request<http::string_body>& req, ApiResponse* api) const {
  ApiRequest in{std::string(req.method_string()), std::string(req.target()),
                std::string(req[http::field::content_type]), std::move(req.body())};
  *api = server_.handler().Handle(in);
  Response res{static_cast<http::status>(api->status), req.version()};
  res.set(http::field::server, "rockpool");
  if (!api->content_type.empty()) res.set(http::field::content_type, api->content_type);
  for (const auto& [name, value] : api->headers) res.set(name, value);
  res.body() = std::move(api->body);
  res.keep_alive(req.keep_alive() && !server_.stopping());
  res.prepare_payload();
  return res;
}

net::awaitable<void> Session::SendErrorAndClose(const ApiError& error) {
  Response res{static_cast<http::status>(error.http_status), 11};
  res.set(http::field::content_type, "application/json");
  res.body() = error.Body();
  res.keep_alive(false);
  res.prepare_payload();
  stream_.expires_after(server_.options().request_timeout);
  co_await http::async_write(stream_, res, kTuple);
  // Drain what the client is still sending so closing does not reset the connection before
  // it reads the answer.
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.expires_after(std::chrono::seconds(2));
  char scratch[16384];
  for (size_t drained = 0; drained < (1u << 20);) {
    auto [read_ec, n] = co_await stream_.async_read_some(net::buffer(scratch), kTuple);
    if (read_ec) break;
    drained += n;
  }
}

net::awaitable<void> Session::Loop() {
  auto self = shared_from_this();
  const auto& opts = server_.options();
  while (!server_.stopping()) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(opts.body_limit);
    idle_ = true;
    stream_.expires_after(opts.idle_timeout);
    auto [ec, bytes] = co_await http::async_read(stream_, buffer_, parser, kTuple);
    idle_ = false;
    if (ec == http::error::body_limit) {
      co_await SendErrorAndClose(ApiError::PayloadTooLarge(
          "body: larger than " + std::to_string(opts.body_limit) + " bytes; send less"));
      co_return;
    }
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == beast::error::timeout || ec == net::error::connection_reset) {
      break;
    }
    if (ec) {
      if (parser.got_some()) {
        co_await SendErrorAndClose(ApiError::FromStatus(
            Status::InvalidArgument("malformed HTTP request: " + ec.message())));
      }
      co_return;
    }
    const auto start = std::chrono::steady_clock::now();
    auto req = parser.release();
    ApiResponse api;
    Response res = Answer(req, &api);
    const bool keep_alive = res.keep_alive();
    stream_.expires_after(opts.request_timeout);
    auto [write_ec, written] = co_await http::async_write(stream_, res, kTuple);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    server_.metrics().RecordRequest(api.route, std::string(req.method_string()), api.status,
                                    seconds);
    spdlog::info("http method={} route={} status={} ms={:.2f} workspace={}",
                 std::string(req.method_string()), api.route, api.status, seconds * 1000,
                 api.workspace.empty() ? "-" : api.workspace);
    if (write_ec || !keep_alive) break;
  }
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

void ApiServer::Impl::Register(Session* s, std::weak_ptr<Session> w) {
  std::lock_guard lock(sessions_mu_);
  sessions_[s] = std::move(w);
}

void ApiServer::Impl::Unregister(Session* s) {
  std::lock_guard lock(sessions_mu_);
  sessions_.erase(s);
}

Status ApiServer::Impl::Listen() {
  auto contract =
      options_.openapi_path.empty() ? Contract::Embedded() : Contract::Load(options_.openapi_path);
  if (!contract.ok()) return contract.status().WithContext("api server");
  contract_.emplace(std::move(contract).value());
  handler_.emplace(*contract_, service_, metrics_, options_.list_cache_bytes);

  beast::error_code ec;
  const auto address = net::ip::make_address(options_.address, ec);
  if (ec)
    return Status::InvalidArgument("api server: listen address " + options_.address + ": " +
                                   ec.message());
  const tcp::endpoint endpoint(address, options_.port);
  const std::string where = options_.address + ":" + std::to_string(options_.port);
  if (acceptor_.open(endpoint.protocol(), ec); ec) {
    return Status::Internal("api server: open socket for " + where + ": " + ec.message());
  }
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (acceptor_.bind(endpoint, ec); ec) {
    return Status::Unavailable("api server: bind " + where + ": " + ec.message());
  }
  if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec) {
    return Status::Unavailable("api server: listen on " + where + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  net::co_spawn(acceptor_.get_executor(), AcceptLoop(), net::detached);
  if (options_.handle_signals) {
    signals_.emplace(ioc_, SIGINT, SIGTERM);
    signals_->async_wait([this](beast::error_code e, int signal) {
      if (e) return;
      spdlog::info("api server: signal {} received; draining connections", signal);
      Stop();
    });
  }
  spdlog::info("api server: listening on http://{}:{}", options_.address, port_);
  return Status::Ok();
}

net::awaitable<void> ApiServer::Impl::AcceptLoop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(net::make_strand(ioc_), kTuple);
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      spdlog::warn("api server: accept: {}", ec.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto session = std::make_shared<Session>(*this, std::move(socket));
    Register(session.get(), session);
    net::co_spawn(session->executor(), session->Loop(), net::detached);
  }
}

void ApiServer::Impl::Run() {
  int n = options_.threads > 0
              ? options_.threads
              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (int i = 1; i < n; ++i) pool.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& t : pool) t.join();
  spdlog::info("api server: stopped");
}

void ApiServer::Impl::Stop() {
  if (stopping_.exchange(true)) return;
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
    if (signals_) signals_->cancel(ec);
  });
  // Collected first: dropping the last reference runs ~Session, which takes sessions_mu_.
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mu_);
    for (auto& [raw, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) net::post(s->executor(), [s] { s->CloseIfIdle(); });
}

ApiServer::ApiServer(ApiOptions options, WorkspaceService& service, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), service, metrics)) {}
ApiServer::~ApiServer() = default;
Status ApiServer::Listen() { return impl_->Listen(); }
int ApiServer::port() const { return impl_->port(); }
void ApiServer::Run() { impl_->Run(); }
void ApiServer::Stop() { impl_->Stop(); }

}  // namespace rockpool::api
