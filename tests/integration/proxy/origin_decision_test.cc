// Port mode end to end through a real Caddy and the real control plane (ApiServer with its
// SecurityGate, sessions and origins on SQLite; the workspaces are fake upstreams on their
// sockets): a browser signed in to the dashboard follows the seed URL to the IDE's origin with
// a one-time ticket, gets that origin's cookie, and is served there; pages of other origins,
// other members and ended sessions are refused before anything reaches the workspace.
#include <memory>
#include <string>

#include "api/test_server.h"
#include "caddy_fixture.h"
#include "runtime/fake/fake_runtime.h"
#include "service/origin_service.h"
#include "service/store_session_service.h"
#include "service/store_token_service.h"
#include "service/store_user_service.h"
#include "service/workspace_service_impl.h"
#include "store/sqlite_store.h"

namespace rockpool::testing {
namespace {

constexpr char kPassword[] = "member-password-1";
constexpr int kOrigins = 3;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The name=value part of a Set-Cookie header.
std::string CookieOf(const HttpResponse& r) {
  const std::string set = r.Header("Set-Cookie");
  return set.substr(0, set.find(';'));
}

class OriginDecisionTest : public CaddyTest {
 protected:
  void Configure(ProxyConfig& config) override {
    const int first = FreeLoopbackPorts(kOrigins);
    ASSERT_NE(first, 0) << "no " << kOrigins << " consecutive free ports";
    config.origin_first_port = first;
    config.origin_last_port = first + kOrigins - 1;
    first_ = first;

    store_ = std::move(SqliteStore::Open((dir_ / "rockpool.db").string(), clock_)).value();
    queue_ = std::make_unique<JobQueue>(store_->jobs());
    service_ = std::make_unique<WorkspaceServiceImpl>(*store_, *queue_, runtime_);
    tokens_ = std::make_unique<StoreTokenService>(*store_, clock_, credentials_);
    users_ = std::make_unique<StoreUserService>(*store_, credentials_);
    sessions_ = std::make_unique<StoreSessionService>(*store_, clock_);
    origins_ = std::make_unique<OriginService>(
        *store_, clock_, OriginOptions{.first_port = first, .last_port = first + kOrigins - 1});
    api::ApiOptions options;
    options.unix_socket = (dir_ / "cp" / "api.sock").string();
    options.origins = origins_.get();
    options.sign_in_port = config.control_port;
    server_ = std::make_unique<api::TestServer>(*service_, options, api::SecurityOptions{},
                                                auth::SteadyClock::Instance(), tokens_.get(),
                                                users_.get(), sessions_.get());
    config.control_plane_upstreams = {"unix/" + options.unix_socket};

    auto admin = server_->NewClient();
    for (const char* user : {"ann", "bob"}) {
      auto made = admin->Send(
          api::JsonRequest("POST", "/api/users",
                           nlohmann::json{{"username", user}, {"password", kPassword}}.dump()));
      ASSERT_TRUE(made.ok() && made->status == 201);
    }
    // ann's workspace is "alpha": the fixture's fake upstream on alpha.sock serves it.
    auto created = server_->NewClientAs("ann", kPassword)
                       ->Send(api::JsonRequest("POST", "/api/workspaces", R"({"name":"alpha"})"));
    ASSERT_TRUE(created.ok() && created->status == 202) << created->body;
  }

  void TearDown() override {
    CaddyTest::TearDown();
    server_.reset();
  }

  // Signs `user` in through Caddy's control port: the session cookie.
  std::string SignIn(const std::string& user) {
    HttpRequest r;
    r.method = "POST";
    r.target = "/api/session";
    r.headers = BasicAuthHeader(user, kPassword);
    r.headers.emplace_back("X-Rockpool-Request", "test");
    HttpResponse answer = Send(config_.control_port, r);
    EXPECT_EQ(answer.status, 201) << answer.body;
    return CookieOf(answer);
  }
  // What a browser tab sends when it navigates (or, with another mode, when a page of `site`
  // fetches), with `cookies`.
  Headers Browser(const std::string& cookies, const std::string& mode = "navigate",
                  const std::string& site = "none") {
    Headers h = {{"Sec-Fetch-Mode", mode},
                 {"Sec-Fetch-Site", site},
                 {"Sec-Fetch-Dest", mode == "navigate" ? "document" : "empty"}};
    if (!cookies.empty()) h.emplace_back("Cookie", cookies);
    return h;
  }
  // The path and query of an absolute URL on 127.0.0.1:<port>; "" when it is on another.
  static std::string PathOn(const std::string& url, int port) {
    const std::string origin = "http://127.0.0.1:" + std::to_string(port);
    return url.rfind(origin + "/", 0) == 0 ? url.substr(origin.size()) : "";
  }
  // Follows the seed URL of alpha's IDE as `session`'s browser: the origin's cookie.
  std::string OpenAlpha(const std::string& session, const std::string& rest = "/") {
    HttpResponse entry = Get(config_.workspace_port, "/workspace/alpha" + rest, Browser(session));
    EXPECT_EQ(entry.status, 307) << entry.body;
    const std::string handoff = PathOn(entry.Header("Location"), first_);
    EXPECT_EQ(handoff.rfind("/.rockpool/handoff?ticket=rpk_", 0), 0u) << entry.Header("Location");
    HttpResponse landed = Get(first_, handoff, Browser(session));
    EXPECT_EQ(landed.status, 302) << landed.body;
    EXPECT_EQ(landed.Header("Location"), rest);
    return CookieOf(landed);
  }

  int first_ = 0;
  FakeClock clock_;
  FakeRuntime runtime_;
  auth::FixedCredentialSource credentials_{BasicAuth{api::kTestUser, api::TestPasswordHash()}};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<WorkspaceServiceImpl> service_;
  std::unique_ptr<StoreTokenService> tokens_;
  std::unique_ptr<StoreUserService> users_;
  std::unique_ptr<StoreSessionService> sessions_;
  std::unique_ptr<OriginService> origins_;
  std::unique_ptr<api::TestServer> server_;
};

TEST_F(OriginDecisionTest, TheSeedUrlHandsTheBrowserToTheIdesOwnOrigin) {
  const std::string session = SignIn("ann");
  const std::string origin = OpenAlpha(session, "/?folder=/home/ann");
  EXPECT_EQ(origin.rfind("rockpool_origin_" + std::to_string(first_) + "=rpo_", 0), 0u) << origin;

  HttpResponse ide = Get(first_, "/?folder=/home/ann", Browser(session + "; " + origin));
  EXPECT_EQ(ide.status, 200) << ide.body;
  EXPECT_EQ(ide.body, "alpha /?folder=/home/ann");
  HttpResponse script = Get(first_, "/static/app.js", Browser(origin, "no-cors", "same-origin"));
  EXPECT_EQ(script.body, "alpha /static/app.js");
  // Nothing of Rockpool's reaches the workspace: no cookie of its own, no socket header.
  const RecordedRequest seen = alpha_->Recorded().back();
  EXPECT_FALSE(Contains(seen.Header("Cookie"), "rockpool")) << seen.Header("Cookie");
  EXPECT_EQ(seen.Header("X-Rockpool-Socket"), "");
}

TEST_F(OriginDecisionTest, TheDashboardsSessionAloneIsNoWayInForAPagesRequests) {
  const std::string session = SignIn("ann");
  HttpResponse fetched = Get(first_, "/", Browser(session, "cors", "same-origin"));
  EXPECT_EQ(fetched.status, 404) << "no origin assigned before the IDE is opened";
  OpenAlpha(session);
  fetched = Get(first_, "/", Browser(session, "cors", "same-origin"));
  EXPECT_EQ(fetched.status, 401) << fetched.body;
  // A tab navigating there is handed a ticket instead.
  HttpResponse tab = Get(first_, "/deep", Browser(session));
  EXPECT_EQ(tab.status, 302);
  EXPECT_EQ(tab.Header("Location").rfind("/.rockpool/handoff?ticket=rpk_", 0), 0u);
  EXPECT_EQ(alpha_->requests(), 0);
}

TEST_F(OriginDecisionTest, PagesOfOtherOriginsOtherMembersAndEndedSessionsAreRefused) {
  const std::string ann = SignIn("ann");
  const std::string origin = OpenAlpha(ann);
  const std::string both = ann + "; " + origin;
  for (const char* mode : {"cors", "no-cors", "websocket"}) {
    HttpResponse r = Get(first_, "/", Browser(both, mode, "same-site"));
    EXPECT_EQ(r.status, 403) << mode;
    EXPECT_TRUE(Contains(r.body, "Sec-Fetch-Site: same-site")) << r.body;
  }
  Headers framed = Browser(both, "navigate", "same-site");
  for (auto& [name, value] : framed) {
    if (name == "Sec-Fetch-Dest") value = "iframe";
  }
  EXPECT_EQ(Get(first_, "/", framed).status, 403);
  Headers old_browser = {{"Cookie", both},
                         {"Origin", "http://127.0.0.1:" + std::to_string(first_ + 1)}};
  EXPECT_EQ(Get(first_, "/", old_browser).status, 403);

  const std::string bob = SignIn("bob");
  EXPECT_EQ(Get(config_.workspace_port, "/workspace/alpha/", Browser(bob)).status, 404);
  EXPECT_EQ(Get(first_, "/", Browser(bob)).status, 404);

  HttpRequest out;
  out.method = "DELETE";
  out.target = "/api/session";
  out.headers = {{"Cookie", ann}, {"X-Rockpool-Request", "test"}};
  EXPECT_EQ(Send(config_.control_port, out).status, 204);
  EXPECT_EQ(Get(first_, "/", Browser(origin, "cors", "same-origin")).status, 401);
  EXPECT_EQ(alpha_->requests(), 0);
}

}  // namespace
}  // namespace rockpool::testing
