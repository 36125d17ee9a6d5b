// Accounts through real Caddy and LXD: a member reaches its own workspace's IDE, ports and API,
// with its password or a browser session, and gets 404 for anyone else's on every path, as for a
// workspace that does not exist; an admin reaches all; a disabled member reaches nothing; a
// browser without a session is sent to the sign-in page.
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "e2e_support.h"

namespace rockpool::e2e {
namespace {

using std::chrono::seconds;

class AccountsTest : public ControlPlaneTest {
 protected:
  void TearDown() override {
    ControlPlaneTest::TearDown();  // their workspaces first: an owner is not deleted
    for (const auto& user : made_) {
      HttpResponse r = Http(ControlUrl(), "DELETE", "/api/users/" + user, creds());
      EXPECT_EQ(r.status, 204) << "delete user " << user << ": " << r.body;
    }
  }
  client::Credentials MakeMember() {
    static int n = 0;
    client::Credentials member{"m" + std::to_string(getpid()) + "-" + std::to_string(++n),
                               "member-password-" + std::to_string(n), ""};
    const nlohmann::json body = {{"username", member.username}, {"password", member.password}};
    HttpResponse r = Http(ControlUrl(), "POST", "/api/users", creds(), body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status == 201) made_.push_back(member.username);
    return member;
  }
  int Ide(const std::string& name, const client::Credentials& who, const std::string& rest = "") {
    return Http(WorkspaceUrl(), "GET", "/workspace/" + name + "/healthz" + rest, who).status;
  }
  // Signs `who` in as a browser does; its cookie ("rockpool_session=rps_...").
  static std::string SignIn(const client::Credentials& who) {
    HttpResponse r = Http(ControlUrl(), "POST", "/api/session", who);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string set = r.Header("Set-Cookie");
    return set.substr(0, set.find(';'));
  }
  static HttpResponse AsBrowser(const std::string& url, const std::string& target,
                                const std::string& cookie) {
    Headers headers = {{"Sec-Fetch-Mode", "navigate"}, {"Accept", "text/html"}};
    if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
    return Http(url, "GET", target, std::nullopt, "", headers);
  }

 private:
  std::vector<std::string> made_;
};

TEST_F(AccountsTest, AMemberReachesOnlyItsOwnWorkspaceOnEveryPath) {
  const client::Credentials ann = MakeMember();
  const client::Credentials bob = MakeMember();
  const std::string name = Track(UniqueName());
  HttpResponse made =
      Http(ControlUrl(), "POST", "/api/workspaces", ann, nlohmann::json{{"name", name}}.dump());
  ASSERT_EQ(made.status, 202) << made.body;
  auto running = WaitForStatus(name, WorkspaceStatus::kRunning, seconds(300));
  ASSERT_TRUE(running.ok() && running->status == WorkspaceStatus::kRunning)
      << running.status().message() << "\n"
      << ServeLogTail();
  EXPECT_EQ(running->owner, ann.username);
  ASSERT_TRUE(WaitUntil([&] { return Ide(name, ann) == 200; }, seconds(60)))
      << "the owner's IDE: " << Ide(name, ann);
  EXPECT_EQ(IdeHealth(name), 200) << "an admin reaches every workspace";

  // Bob: the IDE, a port and the API answer as for a workspace that does not exist.
  const std::string missing = UniqueName();
  EXPECT_EQ(Ide(name, bob), 404);
  EXPECT_EQ(Ide(missing, bob), 404);
  HttpResponse port = Http(WorkspaceUrl(), "GET", "/workspace/" + name + "/port/3000/", bob);
  EXPECT_EQ(port.status, 404) << port.body;
  HttpResponse foreign = Http(ControlUrl(), "GET", "/api/workspaces/" + name, bob);
  HttpResponse none = Http(ControlUrl(), "GET", "/api/workspaces/" + missing, bob);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(nlohmann::json::parse(foreign.body)["error"]["code"],
            nlohmann::json::parse(none.body)["error"]["code"]);
  EXPECT_EQ(Http(ControlUrl(), "DELETE", "/api/workspaces/" + name, bob).status, 404);
  HttpResponse listed = Http(ControlUrl(), "GET", "/api/workspaces", bob);
  ASSERT_EQ(listed.status, 200);
  EXPECT_TRUE(nlohmann::json::parse(listed.body)["items"].empty()) << listed.body;
  // Paths the proxy decodes and cleans before it routes them reach no one else's IDE either.
  std::string encoded = name;
  encoded.replace(encoded.find('-'), 1, "%2D");
  for (const std::string& sneaky :
       {"//workspace/" + name + "/healthz", "/workspace//" + name + "/healthz",
        "/workspace/" + encoded + "/healthz", "/%77orkspace/" + name + "/healthz"}) {
    HttpResponse r = Http(WorkspaceUrl(), "GET", sneaky, bob);
    EXPECT_EQ(r.status, 404) << sneaky << ": " << r.body;
    // The control plane's refusal, not a path the proxy routes nowhere: the check saw the name.
    EXPECT_NE(r.body.find(name), std::string::npos) << sneaky << ": " << r.body;
    EXPECT_NE(r.body.find("not found"), std::string::npos) << sneaky << ": " << r.body;
  }
  // The workspace `rockpool up` made belongs to the deployment's admin, not to members.
  EXPECT_EQ(Ide("test", bob), 404);
  EXPECT_EQ(Ide("test", ann), 404);

  // Browsers: a session reaches the owner's IDE and the dashboard, another member's session gets
  // the same 404, and a navigation without one is sent to sign in on the dashboard's port.
  const std::string ann_session = SignIn(ann);
  const std::string bob_session = SignIn(bob);
  EXPECT_EQ(AsBrowser(WorkspaceUrl(), "/workspace/" + name + "/healthz", ann_session).status, 200);
  EXPECT_EQ(AsBrowser(ControlUrl(), "/app/workspaces", ann_session).status, 200);
  EXPECT_EQ(AsBrowser(WorkspaceUrl(), "/workspace/" + name + "/healthz", bob_session).status, 404);
  HttpResponse anonymous = AsBrowser(WorkspaceUrl(), "/workspace/" + name + "/?folder=/x", "");
  EXPECT_EQ(anonymous.status, 302) << anonymous.body;
  EXPECT_EQ(anonymous.Header("Location"), ControlUrl() + "/app/login?next=http%3A//127.0.0.1%3A" +
                                              std::to_string(WorkspacePort()) + "/workspace/" +
                                              name + "/%3Ffolder%3D/x");
  HttpResponse dashboard = AsBrowser(ControlUrl(), "/app/settings", "");
  EXPECT_EQ(dashboard.status, 302);
  EXPECT_EQ(dashboard.Header("Location"), "/app/login?next=/app/settings");
  EXPECT_EQ(AsBrowser(ControlUrl(), "/app/login?next=/app/settings", "").status, 200)
      << "the sign-in page needs no session";

  auto still = api().Get(name);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->status, WorkspaceStatus::kRunning) << "bob's delete reached nothing";
  EXPECT_EQ(Ide(name, ann), 200);

  // Disabled: the owner reaches nothing, at once.
  HttpResponse disabled =
      Http(ControlUrl(), "PATCH", "/api/users/" + ann.username, creds(), R"({"disabled":true})");
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(Ide(name, ann), 401);
  EXPECT_EQ(Http(ControlUrl(), "GET", "/api/workspaces", ann).status, 401);
  EXPECT_EQ(AsBrowser(WorkspaceUrl(), "/workspace/" + name + "/healthz", ann_session).status, 302)
      << "a disabled account's session is sent to sign in again";
}

}  // namespace
}  // namespace rockpool::e2e
