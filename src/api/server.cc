#include "api/server.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "api/api_error.h"
#include "api/api_handler.h"
#include "api/contract.h"
#include "api/csrf.h"
#include "api/dashboard_files.h"
#include "api/forwarded_uri.h"
#include "api/origin_entry.h"
#include "api/request_validation.h"
#include "api/sign_in.h"
#include "api/unix_socket.h"
#include "auth/session_cookie.h"
#include "core/names.h"
#include "sockets/workspace_sockets.h"

namespace rockpool::api {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using unix_socket = net::local::stream_protocol;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);

// What the server tells the stopping code about a connection, whatever its transport.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Runs on the session's strand: a connection waiting for its next request is closed.
  virtual void CloseIfIdle() = 0;
  virtual net::any_io_executor executor() = 0;
};

namespace {

// One gate check, shared by the gate's callback and the coroutine that waits for it. The gate
// answers at once for nearly every request (no password hash to compute): then the coroutine
// takes the answer without suspending. Otherwise it waits, and resumes on its own executor
// whichever thread the gate answered on; the work guard keeps Run() from returning meanwhile.
// (Plain functions, not coroutine code: GCC 12 mishandles such lambdas inside coroutines.)
class PendingGateCheck {
 public:
  using Answer = GateAnswer;

  static std::shared_ptr<PendingGateCheck> Start(RequestGate& gate, const GateRequest& request) {
    auto pending = std::make_shared<PendingGateCheck>();
    gate.Check(request, [pending](Answer answer) { pending->Deliver(std::move(answer)); });
    return pending;
  }

  // The answer, when the gate has given it.
  std::optional<Answer> TakeIfReady() {
    std::lock_guard lock(mu_);
    if (!answered_) return std::nullopt;
    return std::move(answer_);
  }

  template <typename CompletionToken>
  auto Wait(CompletionToken&& token) {
    return net::async_initiate<CompletionToken, void(Answer)>(
        [this](auto handler) {
          using Handler = std::decay_t<decltype(handler)>;
          // The guard holds the io_context itself, not the session's strand: the gate may
          // answer on another thread, which must let go of every copy of the strand before
          // Run() may return and the context (and its strand service) go away.
          auto& context = static_cast<net::io_context&>(
              net::query(net::get_associated_executor(handler), net::execution::context));
          auto work = std::make_shared<net::executor_work_guard<net::io_context::executor_type>>(
              context.get_executor());
          auto shared = std::make_shared<Handler>(std::move(handler));
          SetWaiter(ResumeFn([shared, work](Answer answer) mutable {
            {
              auto resumed = std::move(shared);  // this function keeps no copy
              auto executor = net::get_associated_executor(*resumed);
              net::post(executor, [resumed, answer = std::move(answer)]() mutable {
                std::move (*resumed)(std::move(answer));
              });
            }  // the strand is released here, while the guard keeps the context running
            work->reset();
          }));
        },
        token);
  }

 private:
  using ResumeFn = std::function<void(Answer)>;

  void Deliver(Answer answer) {
    ResumeFn resume;
    {
      std::lock_guard lock(mu_);
      if (!resume_) {
        answered_ = true;
        answer_ = std::move(answer);
        return;
      }
      resume = std::move(resume_);
    }
    resume(std::move(answer));
  }

  // Registers the waiter, or resumes it at once when the answer came in the meantime.
  void SetWaiter(ResumeFn resume) {
    std::unique_lock lock(mu_);
    if (!answered_) {
      resume_ = std::move(resume);
      return;
    }
    Answer answer = std::move(answer_);
    lock.unlock();
    resume(std::move(answer));
  }

  std::mutex mu_;
  bool answered_ = false;
  Answer answer_;
  ResumeFn resume_;
};

ApiError TooLarge(size_t limit) {
  return ApiError::PayloadTooLarge("body: larger than " + std::to_string(limit) +
                                   " bytes; send less");
}

bool IsDisconnect(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
         ec == beast::error::timeout || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe;
}

constexpr size_t kMaxClientAddress = 100;

}  // namespace

class ApiServer::Impl {
 public:
  Impl(ApiOptions options, WorkspaceService& service, Metrics& metrics, RequestGate& gate)
      : options_(std::move(options)), service_(service), metrics_(metrics), gate_(gate) {}

  Status Listen();
  void Run();
  void Stop();
  int port() const { return port_; }
  std::string endpoint() const;

  const ApiOptions& options() const { return options_; }
  const ApiHandler& handler() const { return *handler_; }
  // The dashboard's answer for `path`, when this server serves the dashboard and it is its path.
  bool serves_dashboard() const { return dashboard_.has_value(); }
  std::optional<ApiResponse> DashboardPage(const std::string& method,
                                           const std::string& path) const {
    if (!dashboard_) return std::nullopt;
    return dashboard_->Serve(method, path);
  }
  RequestGate& gate() { return gate_; }
  WorkspaceService& service() { return service_; }
  Metrics& metrics() { return metrics_; }
  bool stopping() const { return stopping_.load(); }
  void Register(SessionBase* s, std::weak_ptr<SessionBase> w);
  void Unregister(SessionBase* s);

 private:
  Status ListenTcp();
  // Binds and listens on `path` with `acceptor`; `trusted` sessions skip the gate.
  Status ListenUnix(const std::string& path, unix_socket::acceptor& acceptor, ino_t& inode,
                    bool trusted);
  template <typename Acceptor>
  net::awaitable<void> AcceptLoop(Acceptor& acceptor, bool trusted);
  std::string PeerRefusal(int fd) const;
  void CloseListener();

  ApiOptions options_;
  WorkspaceService& service_;
  Metrics& metrics_;
  RequestGate& gate_;
  std::optional<Contract> contract_;
  std::optional<ApiHandler> handler_;
  std::optional<DashboardFiles> dashboard_;
  // Before ioc_, so they outlive it: destroying the io_context destroys pending handlers,
  // and a handler holding the last reference to a Session unregisters it.
  std::mutex sessions_mu_;
  std::map<SessionBase*, std::weak_ptr<SessionBase>> sessions_;
  net::io_context ioc_;
  tcp::acceptor tcp_acceptor_{net::make_strand(ioc_)};
  unix_socket::acceptor unix_acceptor_{tcp_acceptor_.get_executor()};
  unix_socket::acceptor local_acceptor_{tcp_acceptor_.get_executor()};
  ino_t socket_inode_ = 0;  // of the socket files this server bound, removed on Stop()
  ino_t local_inode_ = 0;
  std::optional<net::signal_set> signals_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
};

// One connection: reads requests one after another (keep-alive) and answers each.
template <typename Protocol>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Protocol>> {
 public:
  using Stream = beast::basic_stream<Protocol>;

  // A non-empty `refusal` is sent as a 403 instead of serving the connection. A `trusted`
  // connection (root on the local socket) sends API requests past the gate.
  Session(ApiServer::Impl& server, typename Protocol::socket socket, std::string refusal,
          bool trusted)
      : server_(server),
        stream_(std::move(socket)),
        refusal_(std::move(refusal)),
        trusted_(trusted) {}
  ~Session() override { server_.Unregister(this); }

  net::awaitable<void> Loop();
  void CloseIfIdle() override {
    if (idle_) stream_.socket().cancel();
  }
  net::any_io_executor executor() override { return stream_.get_executor(); }

 private:
  using Request = http::request<http::string_body>;
  using Response = http::response<http::string_body>;
  net::awaitable<Response> Answer(Request& req, ApiResponse* api, std::string* client);
  net::awaitable<void> SendErrorAndClose(const ApiError& error);
  Response Render(const ApiResponse& api, unsigned version, bool keep_alive) const;
  static GateRequest ToGateRequest(const Request& req, const std::string& path);
  // A browser's navigation to `uri` refused as not signed in goes to the sign-in page instead.
  bool RedirectToSignIn(const Request& req, std::string_view uri, const ApiError& refusal,
                        ApiResponse& api, bool on_origin = false) const;
  // For the proxy's question about `uri`, asked by `principal` who passed the gate: a refusal
  // when it is for a workspace `principal` may not reach (404, as for one that does not exist).
  std::optional<ApiError> ForwardedRefusal(const Principal& principal, std::string_view uri) const;
  // A refusal when `principal` may not reach what `origin` serves (404, as for none); else
  // the socket file that serves it, in `socket` when given.
  std::optional<ApiError> OriginRefusal(const Principal& principal, const Origin& origin,
                                        std::string* socket = nullptr) const;
  // Port mode: the proxy's question about a request that reached the workspace origin `port`.
  net::awaitable<void> AnswerOrigin(const Request& req, int port, std::string_view uri,
                                    ApiResponse* api);
  // Port mode: the seed's URL `uri`, which `principal` may reach, redirects to its origin;
  // false when `uri` is no seed URL.
  bool RedirectToOrigin(const Request& req, const Principal& principal, std::string_view uri,
                        ApiResponse& api) const;

  ApiServer::Impl& server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::string refusal_;
  const bool trusted_;
  bool idle_ = true;
};

namespace {

// The answer to a refused request: JSON for the API, a page for forward auth (a browser
// navigation shows it as is).
ApiResponse Refusal(const ApiError& error, bool page, ApiResponse base) {
  base.status = error.http_status;
  base.content_type = page ? "text/html; charset=utf-8" : "application/json";
  base.body = page ? error.Page() : error.Body();
  base.headers.insert(base.headers.end(), error.headers.begin(), error.headers.end());
  return base;
}

void SetSecurityHeaders(http::response<http::string_body>& res) {
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set(http::field::cache_control, "no-store");
}

}  // namespace

template <typename Protocol>
std::optional<ApiError> Session<Protocol>::ForwardedRefusal(const Principal& principal,
                                                            std::string_view uri) const {
  auto workspace = ForwardedWorkspace(uri);
  if (!workspace.ok()) return ApiError::FromStatus(workspace.status());
  if (!*workspace) return std::nullopt;
  // The proxy finds a workspace by its name: what is no name (an id, say) names none.
  if (!ValidateWorkspaceName(**workspace).ok()) {
    return ApiError::FromStatus(WorkspaceNotFound(**workspace));
  }
  Status access = server_.handler().AuthorizeWorkspace(principal, **workspace);
  if (!access.ok()) return ApiError::FromStatus(access);
  return std::nullopt;
}

namespace {

// The body leaves `location` out: it carries a path the client chose (a handoff's `next`).
void SetRedirect(ApiResponse& api, int status, const std::string& location) {
  api.status = status;
  api.content_type = "text/html; charset=utf-8";
  api.headers.emplace_back("Location", location);
  api.body =
      "<!doctype html>\n<title>Moved</title>\n<p>Moved: your browser goes on to the "
      "Location of this answer.</p>\n";
}

}  // namespace

template <typename Protocol>
bool Session<Protocol>::RedirectToOrigin(const Request& req, const Principal& principal,
                                         std::string_view uri, ApiResponse& api) const {
  auto entry = ParseEntry(uri);
  if (!entry) return false;
  OriginService& origins = *server_.options().origins;
  const bool secure = beast::iequals(req["X-Forwarded-Proto"], "https");
  auto refuse = [&](const Status& why) {
    api = Refusal(ApiError::FromStatus(why), true, std::move(api));
    return true;
  };
  auto ws = server_.service().Get(entry->name);
  if (!ws.ok()) return refuse(ws.status());
  auto port = origins.Assign(ws->id, entry->forwarded_port);
  if (!port.ok()) return refuse(port.status());
  std::string rest = entry->rest;
  // A browser signed in to the dashboard brings its session along in a one-time ticket.
  if (!principal.session_id.empty()) {
    auto ticket = origins.IssueTicket(principal.session_id, *port);
    if (!ticket.ok()) return refuse(ticket.status());
    rest = HandoffUri(*ticket, rest);
  }
  auto url = OriginUrl(secure ? "https" : "http", req["X-Forwarded-Host"], *port, rest);
  if (!url) return refuse(Status::InvalidArgument("the request's Host is not a host name"));
  SetRedirect(api, 307, *url);
  return true;
}

template <typename Protocol>
std::optional<ApiError> Session<Protocol>::OriginRefusal(const Principal& principal,
                                                         const Origin& origin,
                                                         std::string* socket) const {
  auto ws = server_.service().Get(origin.workspace_id);
  if (!ws.ok()) return ApiError::FromStatus(ws.status());
  Status access = ApiHandler::AuthorizeWorkspace(principal, *ws);
  if (!access.ok()) return ApiError::FromStatus(access);
  if (socket != nullptr) {
    *socket = origin.forwarded_port == 0
                  ? sockets::IdeSocketFile(ws->name)
                  : sockets::PortSocketFile(ws->name, std::to_string(origin.forwarded_port));
  }
  return std::nullopt;
}

template <typename Protocol>
net::awaitable<void> Session<Protocol>::AnswerOrigin(const Request& req, int port,
                                                     std::string_view uri, ApiResponse* api) {
  OriginService& origins = *server_.options().origins;
  const SplitTarget target = SplitRequestTarget(uri);
  const bool secure = beast::iequals(req["X-Forwarded-Proto"], "https");
  GateRequest g = ToGateRequest(req, target.path);
  g.method = std::string(req["X-Forwarded-Method"]);
  g.host = std::string(req["X-Forwarded-Host"]);
  g.sec_fetch_mode = std::string(req["Sec-Fetch-Mode"]);
  g.sec_fetch_dest = std::string(req["Sec-Fetch-Dest"]);
  if (auto refusal = CrossOriginRefusal(g)) {
    *api = Refusal(ApiError::Forbidden(std::move(*refusal)), true, std::move(*api));
    co_return;
  }
  auto origin = origins.Find(port);
  if (!origin.ok() || !*origin) {
    *api = Refusal(
        ApiError::FromStatus(origin.ok() ? Status::NotFound("no workspace is served on port " +
                                                            std::to_string(port) +
                                                            "; open it from the dashboard")
                                         : origin.status()),
        true, std::move(*api));
    co_return;
  }
  if (target.path == kHandoffPath) {
    const Handoff handoff = ParseHandoff(target.query);
    auto cookie = origins.Redeem(handoff.ticket, port);
    if (!cookie.ok()) {
      *api = Refusal(ApiError::FromStatus(cookie.status()), true, std::move(*api));
      co_return;
    }
    SetRedirect(*api, 302, handoff.next);
    api->headers.emplace_back("Set-Cookie",
                              auth::OriginSetCookie(port, cookie->secret, cookie->max_age, secure));
    co_return;
  }
  // Signed in by this origin's cookie or an Authorization header; never by the dashboard's
  // session, which every origin of the host receives too.
  GateRequest own = g;
  own.session =
      auth::CookieValue(req[http::field::cookie], auth::OriginCookieName(port)).value_or("");
  own.origin_port = port;
  GateAnswer answer;
  auto pending = PendingGateCheck::Start(server_.gate(), own);
  if (auto ready = pending->TakeIfReady()) {
    answer = std::move(*ready);
  } else {
    answer = co_await pending->Wait(net::use_awaitable);
  }
  const bool navigation = (g.method == "GET" || g.method == "HEAD") &&
                          (g.sec_fetch_mode == "navigate" ||
                           (g.sec_fetch_mode.empty() &&
                            req[http::field::accept].find("text/html") != std::string_view::npos));
  if (answer.refusal && answer.refusal->http_status == 401 && navigation) {
    // A browser signed in to the dashboard gets a ticket for this origin, and comes back.
    GateRequest dashboard = g;
    dashboard.authorization.clear();
    GateAnswer signed_in;
    auto again = PendingGateCheck::Start(server_.gate(), dashboard);
    if (auto ready = again->TakeIfReady()) {
      signed_in = std::move(*ready);
    } else {
      signed_in = co_await again->Wait(net::use_awaitable);
    }
    if (!signed_in.refusal && !signed_in.principal.session_id.empty()) {
      std::optional<ApiError> denied = OriginRefusal(signed_in.principal, **origin);
      if (denied) {
        *api = Refusal(*denied, true, std::move(*api));
        co_return;
      }
      auto ticket = origins.IssueTicket(signed_in.principal.session_id, port);
      if (ticket.ok()) {
        SetRedirect(*api, 302, HandoffUri(*ticket, uri));
        co_return;
      }
    }
  }
  std::optional<ApiError> refusal = std::move(answer.refusal);
  std::string socket;
  if (!refusal) refusal = OriginRefusal(answer.principal, **origin, &socket);
  if (refusal) {
    if (!RedirectToSignIn(req, uri, *refusal, *api, true)) {
      *api = Refusal(*refusal, true, std::move(*api));
    }
    co_return;
  }
  api->status = 204;
  api->content_type.clear();
  api->headers.emplace_back(sockets::kSocketHeader, socket);
}

template <typename Protocol>
bool Session<Protocol>::RedirectToSignIn(const Request& req, std::string_view uri,
                                         const ApiError& refusal, ApiResponse& api,
                                         bool on_origin) const {
  if (refusal.http_status != 401) return false;
  const bool proxied = req.find("X-Forwarded-Host") != req.end();
  SignInRequest sign_in;
  sign_in.method = proxied ? req["X-Forwarded-Method"] : req.method_string();
  sign_in.uri = uri;
  sign_in.host = proxied ? req["X-Forwarded-Host"] : req[http::field::host];
  sign_in.proto = req["X-Forwarded-Proto"];
  sign_in.sec_fetch_mode = req["Sec-Fetch-Mode"];
  sign_in.accept = req[http::field::accept];
  sign_in.sign_in_port = server_.options().sign_in_port;
  sign_in.on_origin = on_origin;
  auto location = SignInLocation(sign_in);
  if (!location) return false;
  api.status = 302;
  api.content_type = "text/html; charset=utf-8";
  api.headers.emplace_back("Location", *location);
  api.body = "<!doctype html>\n<title>Sign in</title>\n<p>You are not signed in. <a href=\"" +
             *location + "\">Sign in to Rockpool</a></p>\n";
  return true;
}

template <typename Protocol>
GateRequest Session<Protocol>::ToGateRequest(const Request& req, const std::string& path) {
  GateRequest g;
  g.method = std::string(req.method_string());
  g.path = path;
  g.client = std::string(req["X-Rockpool-Client-Address"].substr(0, kMaxClientAddress));
  if (g.client.empty()) g.client = "local";
  g.authorization = std::string(req[http::field::authorization]);
  if (auto session = auth::SessionCookieValue(req[http::field::cookie])) {
    g.session = std::move(*session);
  }
  g.host = std::string(req[http::field::host]);
  g.forwarded_proto = std::string(req["X-Forwarded-Proto"]);
  if (auto it = req.find(http::field::origin); it != req.end()) g.origin = std::string(it->value());
  if (auto it = req.find("Sec-Fetch-Site"); it != req.end()) {
    g.sec_fetch_site = std::string(it->value());
  }
  g.content_type = std::string(req[http::field::content_type]);
  g.has_rockpool_request_header = req.find("X-Rockpool-Request") != req.end();
  return g;
}

template <typename Protocol>
typename Session<Protocol>::Response Session<Protocol>::Render(const ApiResponse& api,
                                                               unsigned version,
                                                               bool keep_alive) const {
  Response res{static_cast<http::status>(api.status), version};
  res.set(http::field::server, "rockpool");
  if (!api.content_type.empty()) res.set(http::field::content_type, api.content_type);
  for (const auto& [name, value] : api.headers) res.set(name, value);
  SetSecurityHeaders(res);
  res.body() = api.body;
  res.keep_alive(keep_alive && !server_.stopping());
  res.prepare_payload();
  return res;
}

template <typename Protocol>
net::awaitable<typename Session<Protocol>::Response> Session<Protocol>::Answer(
    Request& req, ApiResponse* api, std::string* client) {
  const SplitTarget target = SplitRequestTarget(req.target());
  GateRequest gate_request = ToGateRequest(req, target.path);
  *client = gate_request.client;
  const bool forward_auth = target.path == kForwardAuthPath;
  std::optional<ApiError> refusal;
  Principal principal;
  principal.local = principal.admin = trusted_;
  std::string_view forwarded_uri;
  if (auto it = req.find("X-Forwarded-Uri"); it != req.end()) forwarded_uri = it->value();
  // The sign-in page and its assets: no session needed (the proxy's files, or dev mode's).
  const bool public_page = forward_auth
                               ? IsPublicDashboardPath(SplitRequestTarget(forwarded_uri).path)
                               : IsPublicDashboardPath(target.path) && server_.serves_dashboard();
  const OriginService* origins = server_.options().origins;
  const int origin_port =
      forward_auth && origins != nullptr ? HostPort(req["X-Forwarded-Host"]) : 0;
  if (forward_auth && req.method() == http::verb::get && origin_port != 0 &&
      origins->options().Contains(origin_port)) {
    api->route = kForwardAuthPath;
    co_await AnswerOrigin(req, origin_port, forwarded_uri, api);
    co_return Render(*api, req.version(), req.keep_alive());
  }
  if (forward_auth && req.method() != http::verb::get) {
    refusal = ApiError::MethodNotAllowed(std::string(req.method_string()) + " is not allowed on " +
                                         kForwardAuthPath + "; use GET");
    refusal->headers.emplace_back("Allow", "GET");
  } else if (public_page) {
    // Served as is; nothing that needs an account is behind these paths.
  } else if (!trusted_ || forward_auth) {
    auto pending = PendingGateCheck::Start(server_.gate(), gate_request);
    GateAnswer answer;
    if (auto ready = pending->TakeIfReady()) {
      answer = std::move(*ready);
    } else {
      answer = co_await pending->Wait(net::use_awaitable);
    }
    refusal = std::move(answer.refusal);
    principal = std::move(answer.principal);
  }
  if (forward_auth) {
    api->route = kForwardAuthPath;
    const std::string_view uri = forwarded_uri;
    if (!refusal && !public_page) refusal = ForwardedRefusal(principal, uri);
    const bool to_origin = !refusal && origins != nullptr && origins->options().enabled() &&
                           RedirectToOrigin(req, principal, uri, *api);
    if (to_origin) {
      // The seed's URL: answered with the way to the workspace's origin (or why not).
    } else if (refusal) {
      if (!RedirectToSignIn(req, uri, *refusal, *api)) {
        *api = Refusal(*refusal, true, std::move(*api));
      }
    } else {
      api->status = 204;
      api->content_type.clear();
      if (const auto& seen = server_.options().on_forward_authorized; seen && !uri.empty()) {
        seen(uri);
      }
    }
  } else if (refusal) {
    api->route = server_.handler().RouteTemplate(std::string(req.method_string()), target.path);
    const bool page = server_.serves_dashboard() && !target.path.starts_with("/api");
    if (!page || !RedirectToSignIn(req, req.target(), *refusal, *api)) {
      *api = Refusal(*refusal, false, std::move(*api));
    }
  } else if (auto page = server_.DashboardPage(std::string(req.method_string()), target.path)) {
    *api = std::move(*page);
  } else {
    ApiRequest in{std::string(req.method_string()),
                  std::string(req.target()),
                  std::string(req[http::field::content_type]),
                  std::move(req.body()),
                  std::move(principal),
                  beast::iequals(req["X-Forwarded-Proto"], "https")};
    *api = server_.handler().Handle(in);
  }
  co_return Render(*api, req.version(), req.keep_alive());
}

template <typename Protocol>
net::awaitable<void> Session<Protocol>::SendErrorAndClose(const ApiError& error) {
  ApiResponse api = Refusal(error, false, ApiResponse{});
  Response res = Render(api, 11, false);
  stream_.expires_after(server_.options().request_timeout);
  co_await http::async_write(stream_, res, kTuple);
  // Read and drop what the client is still sending: closing with unread data would reset
  // the connection, and the client (or the proxy) would see that instead of the answer.
  beast::error_code ec;
  stream_.socket().shutdown(net::socket_base::shutdown_send, ec);
  stream_.expires_after(server_.options().request_timeout);
  char scratch[16384];
  for (size_t drained = 0; drained < server_.options().oversize_drain_limit;) {
    auto [read_ec, n] = co_await stream_.async_read_some(net::buffer(scratch), kTuple);
    if (read_ec) break;
    drained += n;
  }
}

template <typename Protocol>
net::awaitable<void> Session<Protocol>::Loop() {
  auto self = this->shared_from_this();
  const auto& opts = server_.options();
  if (!refusal_.empty()) {
    co_await SendErrorAndClose(ApiError::Forbidden(refusal_));
    co_return;
  }
  while (!server_.stopping()) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(opts.body_limit);
    idle_ = true;
    stream_.expires_after(opts.idle_timeout);
    auto [ec, header_bytes] = co_await http::async_read_header(stream_, buffer_, parser, kTuple);
    idle_ = false;
    if (!ec && parser.content_length() && *parser.content_length() > opts.body_limit) {
      ec = http::error::body_limit;
    }
    if (!ec && beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      http::response<http::empty_body> go_on{http::status::continue_, 11};
      stream_.expires_after(opts.request_timeout);
      std::tie(ec, std::ignore) = co_await http::async_write(stream_, go_on, kTuple);
    }
    if (!ec) {
      stream_.expires_after(opts.request_timeout);
      std::tie(ec, std::ignore) = co_await http::async_read(stream_, buffer_, parser, kTuple);
    }
    if (ec == http::error::body_limit) {
      co_await SendErrorAndClose(TooLarge(opts.body_limit));
      co_return;
    }
    if (ec && IsDisconnect(ec)) break;
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
    std::string client;
    Response res = co_await Answer(req, &api, &client);
    const bool keep_alive = res.keep_alive();
    stream_.expires_after(opts.request_timeout);
    auto [write_ec, written] = co_await http::async_write(stream_, res, kTuple);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string method(req.method_string());
    server_.metrics().RecordRequest(api.route, method, api.status, seconds);
    // Forward auth is asked once per page asset and WebSocket: only refusals are news.
    const auto level = api.route == kForwardAuthPath && api.status < 300 ? spdlog::level::debug
                                                                         : spdlog::level::info;
    spdlog::log(level, "http method={} route={} status={} ms={:.2f} workspace={} client={}", method,
                api.route, api.status, seconds * 1000, api.workspace.empty() ? "-" : api.workspace,
                client);
    if (write_ec || !keep_alive) break;
  }
  beast::error_code ignored;
  stream_.socket().shutdown(net::socket_base::shutdown_send, ignored);
}

void ApiServer::Impl::Register(SessionBase* s, std::weak_ptr<SessionBase> w) {
  std::lock_guard lock(sessions_mu_);
  sessions_[s] = std::move(w);
}

void ApiServer::Impl::Unregister(SessionBase* s) {
  std::lock_guard lock(sessions_mu_);
  sessions_.erase(s);
}

std::string ApiServer::Impl::endpoint() const {
  if (!options_.unix_socket.empty()) return "unix:" + options_.unix_socket;
  return "http://" + options_.address + ":" + std::to_string(port_);
}

Status ApiServer::Impl::Listen() {
  auto contract =
      options_.openapi_path.empty() ? Contract::Embedded() : Contract::Load(options_.openapi_path);
  if (!contract.ok()) return contract.status().WithContext("api server");
  contract_.emplace(std::move(contract).value());
  handler_.emplace(*contract_, service_, metrics_, options_.list_cache_bytes, options_.tokens,
                   options_.users, options_.sessions, options_.origins);
  if (!options_.dashboard_dir.empty()) dashboard_.emplace(options_.dashboard_dir);
  RP_RETURN_IF_ERROR(options_.unix_socket.empty()
                         ? ListenTcp()
                         : ListenUnix(options_.unix_socket, unix_acceptor_, socket_inode_, false));
  if (!options_.local_socket.empty()) {
    RP_RETURN_IF_ERROR(ListenUnix(options_.local_socket, local_acceptor_, local_inode_, true));
  }
  if (options_.handle_signals) {
    signals_.emplace(ioc_, SIGINT, SIGTERM);
    signals_->async_wait([this](beast::error_code e, int signal) {
      if (e) return;
      spdlog::info("api server: signal {} received; draining connections", signal);
      Stop();
    });
  }
  spdlog::info("api server: listening on {}", endpoint());
  return Status::Ok();
}

Status ApiServer::Impl::ListenTcp() {
  beast::error_code ec;
  const auto address = net::ip::make_address(options_.address, ec);
  if (ec)
    return Status::InvalidArgument("api server: listen address " + options_.address + ": " +
                                   ec.message());
  const tcp::endpoint endpoint(address, options_.port);
  const std::string where = options_.address + ":" + std::to_string(options_.port);
  if (tcp_acceptor_.open(endpoint.protocol(), ec); ec) {
    return Status::Internal("api server: open socket for " + where + ": " + ec.message());
  }
  tcp_acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (tcp_acceptor_.bind(endpoint, ec); ec) {
    return Status::Unavailable("api server: bind " + where + ": " + ec.message());
  }
  if (tcp_acceptor_.listen(net::socket_base::max_listen_connections, ec); ec) {
    return Status::Unavailable("api server: listen on " + where + ": " + ec.message());
  }
  port_ = tcp_acceptor_.local_endpoint().port();
  net::co_spawn(tcp_acceptor_.get_executor(), AcceptLoop(tcp_acceptor_, false), net::detached);
  return Status::Ok();
}

Status ApiServer::Impl::ListenUnix(const std::string& path, unix_socket::acceptor& acceptor,
                                   ino_t& inode, bool trusted) {
  RP_RETURN_IF_ERROR(PrepareUnixSocketPath(path).WithContext("api server"));
  beast::error_code ec;
  if (acceptor.open(unix_socket(), ec); ec) {
    return Status::Internal("api server: open unix socket " + path + ": " + ec.message());
  }
  if (acceptor.bind(unix_socket::endpoint(path), ec); ec) {
    return Status::Unavailable("api server: bind " + path + ": " + ec.message());
  }
  // Before listen(): until then a connect() is refused, so no one gets in through a wider
  // mode left by the umask.
  struct stat st {};
  if (chmod(path.c_str(), 0600) != 0 || stat(path.c_str(), &st) != 0) {
    return Status::Unavailable("api server: make " + path +
                               " root-only (chmod 0600): " + std::strerror(errno));
  }
  inode = st.st_ino;
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) {
    return Status::Unavailable("api server: listen on " + path + ": " + ec.message());
  }
  net::co_spawn(acceptor.get_executor(), AcceptLoop(acceptor, trusted), net::detached);
  return Status::Ok();
}

// Why a unix-socket peer is refused; empty when it is the allowed uid.
std::string ApiServer::Impl::PeerRefusal(int fd) const {
  auto uid = PeerUid(fd);
  if (!uid.ok()) return "cannot tell who is connecting (" + uid.status().message() + ")";
  if (*uid == options_.unix_socket_peer_uid) return "";
  return "the control socket serves uid " + std::to_string(options_.unix_socket_peer_uid) +
         " only; uid " + std::to_string(*uid) + " is refused";
}

template <typename Acceptor>
net::awaitable<void> ApiServer::Impl::AcceptLoop(Acceptor& acceptor, bool trusted) {
  using Protocol = typename Acceptor::protocol_type;
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(ioc_), kTuple);
    if (ec == net::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      spdlog::warn("api server: accept: {}", ec.message());
      continue;
    }
    std::string refusal;
    if constexpr (std::is_same_v<Protocol, tcp>) {
      socket.set_option(tcp::no_delay(true), ec);
    } else {
      refusal = PeerRefusal(socket.native_handle());
      if (!refusal.empty()) spdlog::warn("api server: {}", refusal);
    }
    auto session =
        std::make_shared<Session<Protocol>>(*this, std::move(socket), std::move(refusal), trusted);
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

void ApiServer::Impl::CloseListener() {
  beast::error_code ec;
  tcp_acceptor_.close(ec);
  auto close_unix = [&](unix_socket::acceptor& acceptor, const std::string& path, ino_t inode) {
    if (!acceptor.is_open()) return;
    acceptor.close(ec);
    // Only the file this server bound: a newer server may own the path by now.
    struct stat st {};
    if (stat(path.c_str(), &st) == 0 && st.st_ino == inode) unlink(path.c_str());
  };
  close_unix(unix_acceptor_, options_.unix_socket, socket_inode_);
  close_unix(local_acceptor_, options_.local_socket, local_inode_);
  if (signals_) signals_->cancel(ec);
}

void ApiServer::Impl::Stop() {
  if (stopping_.exchange(true)) return;
  net::post(tcp_acceptor_.get_executor(), [this] { CloseListener(); });
  // Collected first: dropping the last reference runs ~Session, which takes sessions_mu_.
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard lock(sessions_mu_);
    for (auto& [raw, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) net::post(s->executor(), [s] { s->CloseIfIdle(); });
}

ApiServer::ApiServer(ApiOptions options, WorkspaceService& service, Metrics& metrics,
                     RequestGate& gate)
    : impl_(std::make_unique<Impl>(std::move(options), service, metrics, gate)) {}
ApiServer::~ApiServer() = default;
Status ApiServer::Listen() { return impl_->Listen(); }
int ApiServer::port() const { return impl_->port(); }
std::string ApiServer::endpoint() const { return impl_->endpoint(); }
void ApiServer::Run() { impl_->Run(); }
void ApiServer::Stop() { impl_->Stop(); }

}  // namespace rockpool::api
