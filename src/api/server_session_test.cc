// Browser sessions over HTTP on a real store (each engine): signing in with the password only,
// the cookie's attributes, sign-out and sign-out everywhere, a new password ending the old
// sessions, the proxy's question answered from the cookie, the public sign-in page, and
// browsers sent to it instead of a 401. Every API answer checked against the contract.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/store_server_test.h"

namespace rockpool::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kMemberPassword[] = "member-password-1";

class ServerSessionTest : public StoreServerTest {
 protected:
  void SetUp() override {
    StoreServerTest::SetUp();
    Send(*admin_,
         JsonRequest("POST", "/api/users",
                     json{{"username", "ann"}, {"password", kMemberPassword}}.dump()),
         "createUser", 201);
    ann_ = server_->NewClientAs("ann", kMemberPassword);
  }

  // Signs in with `client`'s password; the cookie ("rockpool_session=<secret>").
  std::string SignIn(HttpClient& client) {
    HttpRequest r = Request("POST", "/api/session");
    auto answer = client.Send(r);
    EXPECT_TRUE(answer.ok());
    if (!answer.ok()) return "";
    EXPECT_EQ(answer->status, 201) << answer->body;
    const std::string set = answer->Header("Set-Cookie");
    EXPECT_THAT(set, StartsWith("rockpool_session=rps_"));
    EXPECT_THAT(set, HasSubstr("; HttpOnly; SameSite=Lax"));
    return set.substr(0, set.find(';'));
  }
  int Status(HttpClient& client, const HttpRequest& r) {
    auto answer = client.Send(r);
    EXPECT_TRUE(answer.ok());
    return answer.ok() ? answer->status : 0;
  }
  HttpRequest Forwarded(const std::string& uri, const std::string& fetch_mode = "") {
    HttpRequest r = Request("GET", "/internal/authorize");
    r.headers.emplace_back("X-Forwarded-Uri", uri);
    r.headers.emplace_back("X-Forwarded-Method", "GET");
    r.headers.emplace_back("X-Forwarded-Host", "devbox:8081");
    r.headers.emplace_back("X-Forwarded-Proto", "http");
    if (!fetch_mode.empty()) r.headers.emplace_back("Sec-Fetch-Mode", fetch_mode);
    return r;
  }

  std::unique_ptr<CurlHttpClient> ann_;
};

INSTANTIATE_TEST_SUITE_P(Engines, ServerSessionTest, rockpool::testing::kEngines,
                         rockpool::testing::EngineName);

TEST_P(ServerSessionTest, APasswordStartsASessionThatSignsInLikeIt) {
  HttpRequest sign_in = Request("POST", "/api/session");
  json started = Send(*ann_, sign_in, "createSession", 201);
  EXPECT_EQ(started["username"], "ann");
  EXPECT_EQ(started["role"], "member");

  const std::string cookie = SignIn(*ann_);
  auto browser = server_->NewSessionClient("other=1; " + cookie);
  json me = Send(*browser, Request("GET", "/api/me"), "getMe", 200);
  EXPECT_EQ(me["username"], "ann");
  Send(*browser, JsonRequest("POST", "/api/workspaces", R"({"name":"ann-ws"})"), "createWorkspace",
       202);
  EXPECT_EQ(Status(*browser, Forwarded("/workspace/ann-ws/")), 204);
  EXPECT_EQ(Status(*browser, Forwarded("/app/workspaces")), 204);

  // A session or a token cannot start another: only the password does.
  Send(*browser, sign_in, "createSession", 403);
  json made =
      Send(*ann_, JsonRequest("POST", "/api/tokens", R"({"name":"ci"})"), "createToken", 201);
  auto script = server_->NewTokenClient(made["token"]);
  Send(*script, sign_in, "createSession", 403);
  // A session's secret is no token, and a token is no session.
  const std::string secret = cookie.substr(cookie.find('=') + 1);
  Send(*server_->NewTokenClient(secret), Request("GET", "/api/me"), "getMe", 401);
  Send(*server_->NewSessionClient("rockpool_session=" + made["token"].get<std::string>()),
       Request("GET", "/api/me"), "getMe", 401);
  // Wrong password: no session.
  auto wrong = server_->NewClientAs("ann", "not-the-password");
  Send(*wrong, sign_in, "createSession", 401);
}

TEST_P(ServerSessionTest, TheCookieIsSecureUnderHttps) {
  HttpRequest r = Request("POST", "/api/session");
  r.headers.emplace_back("X-Forwarded-Proto", "https");
  auto answer = ann_->Send(r);
  ASSERT_TRUE(answer.ok());
  ASSERT_EQ(answer->status, 201);
  EXPECT_THAT(answer->Header("Set-Cookie"), HasSubstr("; Secure"));
}

TEST_P(ServerSessionTest, SignOutEndsThisSessionAndEverywhereEndsAll) {
  const std::string one = SignIn(*ann_);
  const std::string two = SignIn(*ann_);
  const std::string three = SignIn(*ann_);
  auto first = server_->NewSessionClient(one);
  auto second = server_->NewSessionClient(two);
  auto third = server_->NewSessionClient(three);

  auto out = first->Send(Request("DELETE", "/api/session"));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->status, 204);
  EXPECT_THAT(out->Header("Set-Cookie"), StartsWith("rockpool_session=; Max-Age=0"));
  json refused = Send(*first, Request("GET", "/api/me"), "getMe", 401);
  EXPECT_THAT(refused["error"]["message"].get<std::string>(), HasSubstr("the session ended"));
  EXPECT_EQ(Status(*first, Forwarded("/app/workspaces")), 401);
  Send(*second, Request("GET", "/api/me"), "getMe", 200);

  json ended = Send(*second, Request("DELETE", "/api/me/sessions"), "endMySessions", 200);
  EXPECT_EQ(ended["ended"], 2);
  Send(*second, Request("GET", "/api/me"), "getMe", 401);
  Send(*third, Request("GET", "/api/me"), "getMe", 401);
  Send(*ann_, Request("GET", "/api/me"), "getMe", 200);  // the password still signs in
}

TEST_P(ServerSessionTest, ANewPasswordEndsTheSessionsOfTheOldOne) {
  auto browser = server_->NewSessionClient(SignIn(*ann_));
  Send(*admin_, JsonRequest("PATCH", "/api/users/ann", R"({"password":"another-password-2"})"),
       "updateUser", 200);
  json refused = Send(*browser, Request("GET", "/api/me"), "getMe", 401);
  EXPECT_THAT(refused["error"]["message"].get<std::string>(),
              HasSubstr("password changed since this session began"));

  auto renewed = server_->NewClientAs("ann", "another-password-2");
  auto again = server_->NewSessionClient(SignIn(*renewed));
  Send(*again, Request("GET", "/api/me"), "getMe", 200);
  Send(*admin_, JsonRequest("PATCH", "/api/users/ann", R"({"disabled":true})"), "updateUser", 200);
  json disabled = Send(*again, Request("GET", "/api/me"), "getMe", 401);
  EXPECT_THAT(disabled["error"]["message"].get<std::string>(), HasSubstr("is disabled"));
}

TEST_P(ServerSessionTest, BrowsersAreSentToSignInAndScriptsGetThe401) {
  auto anonymous = server_->NewAnonymousClient();
  // The sign-in page and its assets need no session.
  EXPECT_EQ(Status(*anonymous, Forwarded("/app/login?next=/app/settings", "navigate")), 204);
  EXPECT_EQ(Status(*anonymous, Forwarded("/app/assets/index-1.js", "no-cors")), 204);
  EXPECT_EQ(Status(*anonymous, Forwarded("/app/assets/../settings", "navigate")), 302);

  auto page = anonymous->Send(Forwarded("/workspace/ann-ws/?folder=/home", "navigate"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, 302);
  EXPECT_THAT(page->Header("Location"),
              StartsWith("/app/login?next=/workspace/ann-ws/%3Ffolder%3D/home"));
  EXPECT_THAT(page->body, HasSubstr("Sign in to Rockpool"));

  auto socket = anonymous->Send(Forwarded("/workspace/ann-ws/stable", "websocket"));
  ASSERT_TRUE(socket.ok());
  EXPECT_EQ(socket->status, 401);
  auto api = anonymous->Send(Request("GET", "/api/me"));
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(api->status, 401);
  // No Basic challenge: a browser shows no password dialog of its own.
  EXPECT_EQ(api->Header("WWW-Authenticate"), R"(Bearer realm="Rockpool")");
}

}  // namespace
}  // namespace rockpool::api
