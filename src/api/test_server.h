// TestServer: an ApiServer on 127.0.0.1, port 0, running on its own thread behind the real
// SecurityGate with an in-memory account (kTestUser / kTestPassword), for tests. NewClient()
// sends requests as a signed-in CLI would; NewAnonymousClient() sends only what each request
// carries. SendAndCheck checks an answer against the contract.
#pragma once

#include <memory>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/contract.h"
#include "api/schema_validator.h"
#include "api/security_gate.h"
#include "api/server.h"
#include "auth/password_hash.h"
#include "http/curl_client.h"
#include "http/encoding.h"

namespace rockpool::api {

inline constexpr char kTestUser[] = "admin";
inline constexpr char kTestPassword[] = "test-password";

// argon2id at the lowest cost (well under 1 ms), computed once per test binary.
inline const std::string& TestPasswordHash() {
  static const std::string hash = *HashPassword(kTestPassword, TestPasswordHashCost());
  return hash;
}

// What a signed-in client sends on every request: credentials and the header that marks a
// non-browser caller (the CLI sends "cli", the dashboard "dashboard").
inline Headers SignedInHeaders() {
  Headers h = BasicAuthHeader(kTestUser, kTestPassword);
  h.emplace_back("X-Rockpool-Request", "test");
  return h;
}

class TestServer {
 public:
  // `tokens` (null: none) serves /api/tokens and signs in Bearer requests; `users` (null: only
  // kTestUser) serves /api/users and signs in its accounts; `sessions` (null: none) serves
  // /api/session and signs in session cookies.
  explicit TestServer(WorkspaceService& service, ApiOptions options = {},
                      SecurityOptions security = {},
                      const auth::MonotonicClock& clock = auth::SteadyClock::Instance(),
                      TokenService* tokens = nullptr, UserService* users = nullptr,
                      SessionService* sessions = nullptr)
      : credentials_(BasicAuth{kTestUser, TestPasswordHash()}),
        gate_(credentials_, security, clock, tokens, users, sessions) {
    options.tokens = tokens;
    options.users = users;
    options.sessions = sessions;
    if (options.unix_socket.empty()) {
      options.address = "127.0.0.1";
      options.port = 0;
    }
    if (options.threads == 0) options.threads = 2;
    unix_socket_ = options.unix_socket;
    server_ = std::make_unique<ApiServer>(options, service, metrics_, gate_);
    Status s = server_->Listen();
    if (!s.ok()) throw std::runtime_error(s.ToString());
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~TestServer() { Shutdown(); }

  // Stops the server and waits for Run() to return.
  void Shutdown() {
    if (!thread_.joinable()) return;
    server_->Stop();
    thread_.join();
  }
  int port() const { return server_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  Metrics& metrics() { return metrics_; }
  auth::FixedCredentialSource& credentials() { return credentials_; }
  SecurityGate& gate() { return gate_; }

  std::unique_ptr<CurlHttpClient> NewClient() const { return Client(SignedInHeaders()); }
  // Signed in as another account, with its password.
  std::unique_ptr<CurlHttpClient> NewClientAs(const std::string& user,
                                              const std::string& password) const {
    Headers h = BasicAuthHeader(user, password);
    h.emplace_back("X-Rockpool-Request", "test");
    return Client(std::move(h));
  }
  std::unique_ptr<CurlHttpClient> NewAnonymousClient() const { return Client({}); }
  // Sends the session cookie on every request, as a signed-in browser does.
  std::unique_ptr<CurlHttpClient> NewSessionClient(const std::string& cookie) const {
    return Client({{"Cookie", cookie}, {"X-Rockpool-Request", "test"}});
  }
  // Sends `Authorization: Bearer <secret>` on every request, as a script with a token would.
  std::unique_ptr<CurlHttpClient> NewTokenClient(const std::string& secret) const {
    return Client({{"Authorization", "Bearer " + secret}, {"X-Rockpool-Request", "test"}});
  }

 private:
  std::unique_ptr<CurlHttpClient> Client(Headers headers) const {
    auto endpoint =
        unix_socket_.empty() ? HttpEndpoint::Tcp(url()) : HttpEndpoint::Unix(unix_socket_);
    return std::make_unique<CurlHttpClient>(endpoint, std::move(headers));
  }

  Metrics metrics_;
  auth::FixedCredentialSource credentials_;
  SecurityGate gate_;
  std::string unix_socket_;
  std::unique_ptr<ApiServer> server_;
  std::thread thread_;
};

// A JSON request with the right content type.
inline HttpRequest JsonRequest(std::string method, std::string target, std::string body) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  r.headers = {{"Content-Type", "application/json"}};
  return r;
}

inline HttpRequest Request(std::string method, std::string target) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  return r;
}

// Sends `req` with `client` and expects `status`, which `operation` must declare; the answer's
// body must fit that answer's schema. Returns the parsed body (null when there is none).
inline nlohmann::json SendAndCheck(HttpClient& client, const Contract& contract,
                                   const HttpRequest& req, const std::string& operation,
                                   int status) {
  auto r = client.Send(req);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return nullptr;
  EXPECT_EQ(r->status, status) << req.method << " " << req.target << ": " << r->body;
  const auto& responses = contract.FindOperation(operation)->responses;
  auto declared = responses.find(r->status);
  EXPECT_NE(declared, responses.end()) << operation << " does not declare " << r->status;
  if (r->body.empty()) return nullptr;
  nlohmann::json body = nlohmann::json::parse(r->body, nullptr, false);
  EXPECT_FALSE(body.is_discarded()) << r->body;
  if (declared != responses.end() && !declared->second.is_null()) {
    Status valid = ValidateAgainstSchema(declared->second, body, "response");
    EXPECT_TRUE(valid.ok()) << valid.ToString() << "\n" << r->body;
  }
  return body;
}

}  // namespace rockpool::api
