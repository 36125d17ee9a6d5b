// The server's protections over real loopback HTTP: authentication, sign-in throttling, the
// request budget, the cross-site rule, forward auth, security headers and oversized bodies.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "api/fake_workspace_service.h"
#include "api/test_server.h"
#include "auth/file_credential_source.h"
#include "store/temp_dir.h"

namespace rockpool::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

HttpRequest With(HttpRequest r, Headers extra) {
  r.headers.insert(r.headers.end(), extra.begin(), extra.end());
  return r;
}

const std::string kWrong = BasicAuthHeader(kTestUser, "guess")[0].second;
const std::string kRight = BasicAuthHeader(kTestUser, kTestPassword)[0].second;

class ServerSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override { service_.Seed("demo", WorkspaceStatus::kRunning); }

  HttpResponse Send(const HttpRequest& r) {
    auto res = anonymous_->Send(r);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? *res : HttpResponse{};
  }
  static json ErrorOf(const HttpResponse& r) { return json::parse(r.body)["error"]; }

  FakeWorkspaceService service_;
  TestServer server_{service_};
  std::unique_ptr<CurlHttpClient> anonymous_ = server_.NewAnonymousClient();
};

TEST_F(ServerSecurityTest, EveryRequestButHealthNeedsCredentials) {
  EXPECT_EQ(Send(Request("GET", "/api/health")).status, 200);
  for (const char* target :
       {"/api/workspaces", "/api/workspaces/demo", "/api/metrics", "/api/nothing", "/"}) {
    HttpResponse r = Send(Request("GET", target));
    EXPECT_EQ(r.status, 401) << target;
    EXPECT_EQ(r.Header("WWW-Authenticate"), R"(Bearer realm="Rockpool")") << target;
    EXPECT_THAT(r.Header("Content-Type"), HasSubstr("application/json"));
    EXPECT_EQ(ErrorOf(r)["code"], "unauthenticated");
    EXPECT_THAT(ErrorOf(r)["message"].get<std::string>(),
                HasSubstr("no credentials were sent; sign in with the Rockpool username"));
  }
  HttpResponse wrong = Send(With(Request("GET", "/api/workspaces"), {{"Authorization", kWrong}}));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_THAT(ErrorOf(wrong)["message"].get<std::string>(),
              HasSubstr("the username or password is wrong"));
  EXPECT_EQ(Send(With(Request("GET", "/api/workspaces"), {{"Authorization", kRight}})).status, 200);
  EXPECT_THAT(service_.calls(), ::testing::ElementsAre("List 25 -"))
      << "refused requests never reach the service";
}

TEST_F(ServerSecurityTest, WrongPasswordsFromOneAddressAreThrottledWithRetryAfter) {
  const Headers attacker = {{"X-Rockpool-Client-Address", "203.0.113.7"}};
  for (int i = 0; i < 5; ++i) {
    HttpResponse r =
        Send(With(Request("GET", "/api/workspaces"), {{"Authorization", kWrong}, attacker[0]}));
    ASSERT_EQ(r.status, 401) << i;
  }
  HttpResponse locked =
      Send(With(Request("GET", "/api/workspaces"), {{"Authorization", kRight}, attacker[0]}));
  EXPECT_EQ(locked.status, 429) << "even the right password, unchecked";
  EXPECT_EQ(locked.Header("Retry-After"), "30");
  EXPECT_EQ(ErrorOf(locked)["code"], "rate_limited");
  EXPECT_THAT(ErrorOf(locked)["message"].get<std::string>(),
              HasSubstr("too many wrong sign-ins from 203.0.113.7; try again in 30 s"));
  HttpResponse other =
      Send(With(Request("GET", "/api/workspaces"),
                {{"Authorization", kRight}, {"X-Rockpool-Client-Address", "198.51.100.2"}}));
  EXPECT_EQ(other.status, 200) << "another address is not affected";
  EXPECT_EQ(Send(With(Request("GET", "/api/workspaces"), {{"Authorization", kRight}})).status, 200)
      << "nor are requests without the proxy's header (\"local\")";
}

TEST_F(ServerSecurityTest, RequestsBeyondTheBudgetAre429WithRetryAfter) {
  SecurityOptions security;
  security.budget.requests_per_second = 0.5;
  security.budget.burst = 5;
  TestServer server(service_, {}, security);
  auto client = server.NewClient();
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(client->Send(Request("GET", "/api/workspaces"))->status, 200);
  auto r = client->Send(Request("GET", "/api/workspaces"));
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->Header("Retry-After"), "2");
  EXPECT_EQ(ErrorOf(*r)["code"], "rate_limited");
  EXPECT_THAT(ErrorOf(*r)["message"].get<std::string>(), HasSubstr("request budget of local"));
}

TEST_F(ServerSecurityTest, CrossSiteFormPostWithCachedCredentialsIsRefused) {
  HttpRequest form = Request("POST", "/api/workspaces/demo/stop");
  form.body = "x=1";
  form = With(form, {{"Authorization", kRight},
                     {"Content-Type", "application/x-www-form-urlencoded"},
                     {"Origin", "http://evil.example"},
                     {"Host", "localhost:8080"}});
  HttpResponse r = Send(form);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(ErrorOf(r)["code"], "forbidden");
  EXPECT_THAT(ErrorOf(r)["message"].get<std::string>(),
              HasSubstr("refused POST /api/workspaces/demo/stop: it was sent by a page of "
                        "http://evil.example, not of http://localhost:8080"));
  EXPECT_THAT(service_.calls(), IsEmpty());
}

TEST_F(ServerSecurityTest, NoCorsTextPlainPostFromAnotherSiteIsRefused) {
  HttpRequest fetch = Request("POST", "/api/workspaces/demo/stop");
  fetch.body = R"({"anything":1})";
  fetch = With(fetch, {{"Authorization", kRight},
                       {"Content-Type", "text/plain;charset=UTF-8"},
                       {"Origin", "http://evil.example"},
                       {"Sec-Fetch-Site", "cross-site"},
                       {"Sec-Fetch-Mode", "no-cors"}});
  HttpResponse r = Send(fetch);
  EXPECT_EQ(r.status, 403);
  EXPECT_THAT(ErrorOf(r)["message"].get<std::string>(), HasSubstr("Sec-Fetch-Site: cross-site"));
  // Without any browser metadata (an old browser), the content type still gives it away.
  HttpRequest bare = Request("DELETE", "/api/workspaces/demo");
  bare = With(bare, {{"Authorization", kRight}, {"Content-Type", "text/plain"}});
  EXPECT_EQ(Send(bare).status, 403);
  EXPECT_THAT(service_.calls(), IsEmpty());
}

TEST_F(ServerSecurityTest, TheDashboardsOwnRequestsPass) {
  HttpRequest stop = Request("POST", "/api/workspaces/demo/stop");
  stop = With(stop, {{"Authorization", kRight},
                     {"Host", "localhost:8080"},
                     {"Origin", "http://localhost:8080"},
                     {"Sec-Fetch-Site", "same-origin"},
                     {"X-Rockpool-Request", "dashboard"}});
  EXPECT_EQ(Send(stop).status, 202);
  EXPECT_THAT(service_.calls(), ::testing::ElementsAre("Stop demo"));
}

TEST_F(ServerSecurityTest, ForwardAuthAnswers204OrAPageThatSaysWhy) {
  HttpResponse ok =
      Send(With(Request("GET", "/internal/authorize"),
                {{"Authorization", kRight}, {"X-Forwarded-Uri", "/workspace/demo/"}}));
  EXPECT_EQ(ok.status, 204);
  EXPECT_THAT(ok.body, IsEmpty());

  HttpResponse none = Send(Request("GET", "/internal/authorize"));
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.Header("WWW-Authenticate"), R"(Bearer realm="Rockpool")");
  EXPECT_THAT(none.Header("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(none.body, HasSubstr("<title>Sign in to Rockpool</title>"));
  EXPECT_THAT(none.body, HasSubstr("`rockpool up` printed"));

  for (int i = 0; i < 5; ++i) {
    Send(With(Request("GET", "/internal/authorize"), {{"Authorization", kWrong}}));
  }
  HttpResponse throttled =
      Send(With(Request("GET", "/internal/authorize"), {{"Authorization", kRight}}));
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.Header("Retry-After"), "30");
  EXPECT_THAT(throttled.body, HasSubstr("too many wrong sign-ins from local"));

  HttpResponse post = Send(Request("POST", "/internal/authorize"));
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("Allow"), "GET");
}

TEST_F(ServerSecurityTest, MissingCredentialsFileRefusesEverythingWithTheFix) {
  server_.credentials().Fail(
      Status::Unavailable("sign-in is refused: the credentials file "
                          "/state/auth.json is missing. Fix: ..."));
  HttpResponse api = Send(With(Request("GET", "/api/workspaces"), {{"Authorization", kRight}}));
  EXPECT_EQ(api.status, 503);
  EXPECT_THAT(ErrorOf(api)["message"].get<std::string>(), HasSubstr("auth.json is missing"));
  HttpResponse page =
      Send(With(Request("GET", "/internal/authorize"), {{"Authorization", kRight}}));
  EXPECT_EQ(page.status, 503);
  EXPECT_THAT(page.body, HasSubstr("auth.json is missing"));
}

TEST_F(ServerSecurityTest, EveryAnswerCarriesTheSecurityHeaders) {
  auto signed_in = server_.NewClient();
  std::vector<HttpResponse> answers = {
      Send(Request("GET", "/api/health")),
      Send(Request("GET", "/api/workspaces")),
      *signed_in->Send(Request("GET", "/api/workspaces/nobody")),
      *signed_in->Send(Request("GET", "/internal/authorize")),
      Send(Request("GET", "/internal/authorize")),
      *signed_in->Send(JsonRequest("POST", "/api/workspaces", std::string(70'000, ' '))),
  };
  for (const auto& r : answers) {
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << r.status;
    EXPECT_EQ(r.Header("Referrer-Policy"), "no-referrer") << r.status;
    EXPECT_EQ(r.Header("Cache-Control"), "no-store") << r.status;
  }
}

// ---- oversized bodies ----

struct RawExchange {
  bool sent_everything = false;
  std::string response;  // what was read until the server closed
  int read_errno = 0;    // e.g. ECONNRESET: the answer may have been lost
};

// Sends `head` and then `body` on a fresh connection (as a client that does not wait for an
// answer before it finishes sending), then reads until the server closes.
RawExchange Exchange(int port, const std::string& head, const std::string& body) {
  RawExchange out;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  // Like a proxy streaming the body on, keep little in flight: a send only completes once the
  // server has taken the bytes, so a server that stops reading shows as a failed send.
  const int small = 64 * 1024;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return out;
  }
  const std::string all = head + body;
  size_t sent = 0;
  while (sent < all.size()) {
    const ssize_t n = send(fd, all.data() + sent, all.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  out.sent_everything = sent == all.size();
  char buf[4096];
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n == 0) break;
    if (n < 0) {
      out.read_errno = errno;
      break;
    }
    out.response.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

std::string Head(const std::string& framing) {
  return "POST /api/workspaces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Authorization: " +
         kRight + "\r\n" + framing + "\r\n";
}

constexpr size_t kThreeMegabytes = 3 * 1000 * 1000;

TEST_F(ServerSecurityTest, AThreeMegabyteBodyIsAnswered413EveryTime) {
  const std::string body(kThreeMegabytes, 'x');
  for (int i = 0; i < 25; ++i) {
    RawExchange r = Exchange(server_.port(),
                             Head("Content-Length: " + std::to_string(body.size()) + "\r\n"), body);
    EXPECT_TRUE(r.sent_everything) << i << ": the server stopped reading";
    EXPECT_EQ(r.read_errno, 0) << i << ": " << std::strerror(r.read_errno);
    EXPECT_THAT(r.response, StartsWith("HTTP/1.1 413")) << i;
    EXPECT_THAT(r.response, HasSubstr(R"("code":"too_large")")) << i;
  }
}

TEST_F(ServerSecurityTest, AChunkedThreeMegabyteBodyIsAnswered413EveryTime) {
  std::string chunks;
  const std::string piece(64 * 1024, 'x');
  for (size_t sent = 0; sent < kThreeMegabytes; sent += piece.size()) {
    chunks += "10000\r\n" + piece + "\r\n";
  }
  chunks += "0\r\n\r\n";
  for (int i = 0; i < 25; ++i) {
    RawExchange r = Exchange(server_.port(), Head("Transfer-Encoding: chunked\r\n"), chunks);
    EXPECT_TRUE(r.sent_everything) << i;
    EXPECT_EQ(r.read_errno, 0) << i << ": " << std::strerror(r.read_errno);
    EXPECT_THAT(r.response, StartsWith("HTTP/1.1 413")) << i;
  }
}

TEST_F(ServerSecurityTest, ADeclaredOversizedBodyIsRefusedBeforeItIsSent) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string head = Head("Content-Length: 3000000\r\nExpect: 100-continue\r\n");
  ASSERT_EQ(send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  char buf[4096];
  const ssize_t n = recv(fd, buf, sizeof buf, 0);
  close(fd);
  ASSERT_GT(n, 0);
  EXPECT_THAT(std::string(buf, static_cast<size_t>(n)), StartsWith("HTTP/1.1 413"))
      << "no 100 Continue for a body that will be refused";
}

TEST_F(ServerSecurityTest, CurlSeesThe413ForAThreeMegabyteBodyEveryTime) {
  auto client = server_.NewClient();
  for (int i = 0; i < 25; ++i) {
    auto r =
        client->Send(JsonRequest("POST", "/api/workspaces", std::string(kThreeMegabytes, ' ')));
    ASSERT_TRUE(r.ok()) << i << ": " << r.status().ToString();
    EXPECT_EQ(r->status, 413) << i;
  }
  EXPECT_EQ(client->Send(Request("GET", "/api/workspaces"))->status, 200)
      << "the client reconnects after the server closed";
}

// ---- credentials from <state>/auth.json ----

TEST(ServerCredentialsFileTest, ServesOnlyOnceAuthJsonIsThereAndFollowsItsChanges) {
  TempDir dir;
  const std::string path = dir.File("auth.json");
  auth::FileCredentialSource credentials(path);
  SecurityGate gate(credentials);
  FakeWorkspaceService service;
  Metrics metrics;
  ApiOptions options;
  options.port = 0;
  options.threads = 1;
  ApiServer server(options, service, metrics, gate);
  ASSERT_TRUE(server.Listen().ok());
  std::thread run([&] { server.Run(); });
  CurlHttpClient client(HttpEndpoint::Tcp(server.endpoint()), SignedInHeaders());

  auto missing = client.Send(Request("GET", "/api/workspaces"));
  EXPECT_EQ(missing->status, 503);
  EXPECT_THAT(missing->body, HasSubstr(path + " is missing"));
  EXPECT_THAT(missing->body, HasSubstr("run `rockpool up`"));

  std::ofstream(path) << json{{"username", kTestUser}, {"passwordHash", TestPasswordHash()}}.dump();
  EXPECT_EQ(client.Send(Request("GET", "/api/workspaces"))->status, 200);

  std::ofstream(path, std::ios::trunc) << "{not json";
  auto corrupt = client.Send(Request("GET", "/api/workspaces"));
  EXPECT_EQ(corrupt->status, 503) << "verified credentials are not served from the cache then";
  EXPECT_THAT(corrupt->body, HasSubstr("delete " + path));
  server.Stop();
  run.join();
}

}  // namespace
}  // namespace rockpool::api
