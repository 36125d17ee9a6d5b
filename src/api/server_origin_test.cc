// Port mode over HTTP on a real store (each engine): the seed's URLs redirect to the origin of
// the IDE or port with a one-time ticket, the ticket becomes that origin's cookie, the cookie
// signs in on that origin only and ends with its session, the dashboard's session alone never
// passes on an origin, other origins' pages are refused, and another member gets 404 as on the
// workspace port.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/store_server_test.h"
#include "service/origin_service.h"

namespace rockpool::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kPassword[] = "member-password-1";
constexpr int kFirst = 20000;

class ServerOriginTest : public StoreServerTest {
 protected:
  void SetUp() override {
    StoreServerTest::SetUp();
    origins_ = std::make_unique<OriginService>(
        *store_, clock_, OriginOptions{.first_port = kFirst, .last_port = kFirst + 9});
    ApiOptions options;
    options.origins = origins_.get();
    options.sign_in_port = 8080;
    server_.reset();
    server_ = std::make_unique<TestServer>(*service_, options, SecurityOptions{},
                                           auth::SteadyClock::Instance(), tokens_.get(),
                                           users_.get(), sessions_.get());
    admin_ = server_->NewClient();
    for (const char* user : {"ann", "bob"}) {
      Send(*admin_,
           JsonRequest("POST", "/api/users",
                       json{{"username", user}, {"password", kPassword}}.dump()),
           "createUser", 201);
    }
    Send(*server_->NewClientAs("ann", kPassword),
         JsonRequest("POST", "/api/workspaces", R"({"name":"ann-ws"})"), "createWorkspace", 202);
    ann_ = server_->NewSessionClient(SignIn("ann"));
    bob_ = server_->NewSessionClient(SignIn("bob"));
  }

  std::string SignIn(const std::string& user) {
    auto answer = server_->NewClientAs(user, kPassword)->Send(Request("POST", "/api/session"));
    EXPECT_TRUE(answer.ok() && answer->status == 201);
    if (!answer.ok()) return "";
    const std::string set = answer->Header("Set-Cookie");
    return set.substr(0, set.find(';'));
  }
  // The proxy's question about `uri` reached on `host`, sent by a browser tab navigating to it
  // (or, with another `mode`, fetching it from a page of `site`).
  HttpRequest Ask(const std::string& host, const std::string& uri,
                  const std::string& mode = "navigate", const std::string& site = "none") {
    HttpRequest r = Request("GET", "/internal/authorize");
    r.headers.emplace_back("X-Forwarded-Uri", uri);
    r.headers.emplace_back("X-Forwarded-Method", "GET");
    r.headers.emplace_back("X-Forwarded-Host", host);
    r.headers.emplace_back("X-Forwarded-Proto", "http");
    r.headers.emplace_back("Sec-Fetch-Mode", mode);
    r.headers.emplace_back("Sec-Fetch-Site", site);
    r.headers.emplace_back("Sec-Fetch-Dest", mode == "navigate" ? "document" : "empty");
    return r;
  }
  HttpResponse Answer(HttpClient& client, const HttpRequest& r) {
    auto answer = client.Send(r);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    return answer.ok() ? *answer : HttpResponse{};
  }
  // Follows the seed URL `uri` to the origin with `client`: the origin's cookie
  // ("rockpool_origin_<port>=<secret>") and the Location the handoff sent the browser on to.
  std::pair<std::string, std::string> Open(HttpClient& client, const std::string& uri) {
    HttpResponse entry = Answer(client, Ask("devbox:8081", uri));
    EXPECT_EQ(entry.status, 307) << entry.body;
    const std::string to = entry.Header("Location");
    EXPECT_THAT(to, StartsWith("http://devbox:2000"));
    const std::string host = to.substr(7, to.find('/', 7) - 7);
    HttpResponse handoff = Answer(client, Ask(host, to.substr(7 + host.size())));
    EXPECT_EQ(handoff.status, 302) << handoff.body;
    const std::string set = handoff.Header("Set-Cookie");
    EXPECT_THAT(set, StartsWith("rockpool_origin_" + host.substr(7) + "=rpo_"));
    EXPECT_THAT(set, HasSubstr("; HttpOnly; SameSite=Lax"));
    return {set.substr(0, set.find(';')), handoff.Header("Location")};
  }
  HttpRequest WithCookie(HttpRequest r, const std::string& cookie) {
    r.headers.emplace_back("Cookie", cookie);
    return r;
  }

  std::unique_ptr<OriginService> origins_;
  std::unique_ptr<CurlHttpClient> ann_, bob_;
};

INSTANTIATE_TEST_SUITE_P(Engines, ServerOriginTest, rockpool::testing::kEngines,
                         rockpool::testing::EngineName);

TEST_P(ServerOriginTest, TheSeedUrlLeadsToTheIdesOriginWhereOnlyItsCookieSignsIn) {
  auto [cookie, next] = Open(*ann_, "/workspace/ann-ws/?folder=/home/dev");
  EXPECT_EQ(next, "/?folder=/home/dev");
  // The page of a redirect never shows the path it goes on to (the client chose it).
  HttpResponse entry = Answer(*ann_, Ask("devbox:8081", "/workspace/ann-ws/"));
  std::string to = entry.Header("Location");
  to = to.substr(to.find("/.rockpool"));
  to = to.substr(0, to.find("&next=")) + "&next=/x%22%3E%3Cscript%3E";
  HttpResponse handoff = Answer(*ann_, Ask("devbox:20000", to));
  EXPECT_EQ(handoff.status, 302);
  EXPECT_EQ(handoff.Header("Location"), "/x\"><script>");
  EXPECT_EQ(handoff.body.find("<script>"), std::string::npos) << handoff.body;
  auto anonymous = server_->NewAnonymousClient();
  HttpResponse ide = Answer(*anonymous, WithCookie(Ask("devbox:20000", "/"), cookie));
  EXPECT_EQ(ide.status, 204) << ide.body;
  EXPECT_EQ(ide.Header("X-Rockpool-Socket"), "ann-ws.sock");
  HttpResponse socket = Answer(
      *anonymous, WithCookie(Ask("devbox:20000", "/stable", "websocket", "same-origin"), cookie));
  EXPECT_EQ(socket.status, 204) << socket.body;

  // Not on another origin, and the dashboard's session alone is no way in for a script.
  EXPECT_EQ(Answer(*anonymous, WithCookie(Ask("devbox:20001", "/"), cookie)).status, 404);
  EXPECT_EQ(Answer(*ann_, Ask("devbox:20000", "/x", "cors", "same-origin")).status, 401);
}

TEST_P(ServerOriginTest, TheApiNamesTheOriginTheSeedUrlLeadsTo) {
  auto ann = server_->NewClientAs("ann", kPassword);
  json first = Send(*ann, Request("GET", "/api/workspaces/ann-ws/origin"), "getOrigin", 200);
  EXPECT_EQ(first, json({{"mode", "ports"}, {"port", kFirst}}));
  HttpResponse entry = Answer(*ann_, Ask("devbox:8081", "/workspace/ann-ws/"));
  EXPECT_THAT(entry.Header("Location"), StartsWith("http://devbox:20000/"));
  EXPECT_EQ(Send(*ann, Request("GET", "/api/workspaces/ann-ws/origin"), "getOrigin", 200), first);
  json port =
      Send(*ann, Request("GET", "/api/workspaces/ann-ws/origin?port=3000"), "getOrigin", 404);
  EXPECT_THAT(port["error"]["message"].get<std::string>(), HasSubstr("forwards no port 3000"));
  // Another member's workspace is not there for bob, in the API as through the proxy.
  Send(*server_->NewClientAs("bob", kPassword), Request("GET", "/api/workspaces/ann-ws/origin"),
       "getOrigin", 404);
}

TEST_P(ServerOriginTest, ATicketWorksOnceAndOnlyOnItsOrigin) {
  HttpResponse entry = Answer(*ann_, Ask("devbox:8081", "/workspace/ann-ws/"));
  const std::string path =
      entry.Header("Location").substr(std::string("http://devbox:20000").size());
  EXPECT_EQ(Answer(*ann_, Ask("devbox:20001", path)).status, 404);  // no workspace there yet
  HttpResponse port = Answer(*ann_, Ask("devbox:8081", "/workspace/ann-ws/port/3000/"));
  EXPECT_THAT(port.Header("Location"), StartsWith("http://devbox:20001/.rockpool/handoff?ticket="));
  HttpResponse elsewhere = Answer(*ann_, Ask("devbox:20001", path));
  EXPECT_EQ(elsewhere.status, 404);
  EXPECT_THAT(elsewhere.body, HasSubstr("used already"));
  EXPECT_EQ(Answer(*ann_, Ask("devbox:20000", path)).status, 404);  // spent on 20001
}

TEST_P(ServerOriginTest, ABrowserSignedInToTheDashboardIsHandedOnAndPortsGetTheirOwnOrigin) {
  auto [cookie, next] = Open(*ann_, "/workspace/ann-ws/port/3000/api?q=1");
  EXPECT_EQ(next, "/api?q=1");
  HttpResponse app =
      Answer(*server_->NewAnonymousClient(), WithCookie(Ask("devbox:20000", "/api?q=1"), cookie));
  EXPECT_EQ(app.status, 204) << app.body;
  EXPECT_EQ(app.Header("X-Rockpool-Socket"), "ann-ws.3000.sock");

  // A tab opened on the origin itself, signed in to the dashboard only: a ticket and back.
  HttpResponse tab = Answer(*ann_, Ask("devbox:20000", "/deep/link?x=1"));
  EXPECT_EQ(tab.status, 302);
  EXPECT_THAT(tab.Header("Location"), StartsWith("/.rockpool/handoff?ticket=rpk_"));
  EXPECT_THAT(tab.Header("Location"), HasSubstr("&next=/deep/link%3Fx%3D1"));
  // Not signed in at all: to the sign-in page on the dashboard's port.
  HttpResponse anonymous = Answer(*server_->NewAnonymousClient(), Ask("devbox:20000", "/"));
  EXPECT_EQ(anonymous.status, 302);
  EXPECT_EQ(anonymous.Header("Location"),
            "http://devbox:8080/app/login?next=http%3A//devbox%3A20000/");
}

TEST_P(ServerOriginTest, PagesOfOtherOriginsAndOtherMembersAreRefused) {
  auto [cookie, next] = Open(*ann_, "/workspace/ann-ws/");
  auto anonymous = server_->NewAnonymousClient();
  for (const char* mode : {"cors", "no-cors", "websocket"}) {
    HttpResponse r =
        Answer(*anonymous, WithCookie(Ask("devbox:20000", "/", mode, "same-site"), cookie));
    EXPECT_EQ(r.status, 403) << mode;
    EXPECT_THAT(r.body, HasSubstr("Sec-Fetch-Site: same-site"));
  }
  HttpRequest framed = WithCookie(Ask("devbox:20000", "/"), cookie);
  framed.headers.emplace_back("Origin", "http://devbox:20005");
  for (auto& [name, value] : framed.headers) {
    if (name == "Sec-Fetch-Dest") value = "iframe";
  }
  EXPECT_EQ(Answer(*anonymous, framed).status, 403);

  // Bob: no way to ann's workspace by its seed URL or its origin.
  EXPECT_EQ(Answer(*bob_, Ask("devbox:8081", "/workspace/ann-ws/")).status, 404);
  HttpResponse tab = Answer(*bob_, Ask("devbox:20000", "/"));
  EXPECT_EQ(tab.status, 404) << "no ticket for another member's origin";
  EXPECT_EQ(tab.Header("Location"), "");
}

TEST_P(ServerOriginTest, SigningOutEndsTheOriginsCookieAndTokensStillWork) {
  auto [cookie, next] = Open(*ann_, "/workspace/ann-ws/");
  auto anonymous = server_->NewAnonymousClient();
  ASSERT_EQ(Answer(*anonymous, WithCookie(Ask("devbox:20000", "/"), cookie)).status, 204);
  EXPECT_EQ(Answer(*ann_, Request("DELETE", "/api/session")).status, 204);
  EXPECT_EQ(Answer(*anonymous, WithCookie(Ask("devbox:20000", "/", "cors", "same-origin"), cookie))
                .status,
            401);

  json made = Send(*server_->NewClientAs("ann", kPassword),
                   JsonRequest("POST", "/api/tokens", R"({"name":"script"})"), "createToken", 201);
  auto script = server_->NewTokenClient(made["token"]);
  HttpRequest plain = Request("GET", "/internal/authorize");
  plain.headers = {{"X-Forwarded-Uri", "/"},
                   {"X-Forwarded-Method", "GET"},
                   {"X-Forwarded-Host", "devbox:20000"}};
  HttpResponse r = Answer(*script, plain);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.Header("X-Rockpool-Socket"), "ann-ws.sock");
}

}  // namespace
}  // namespace rockpool::api
