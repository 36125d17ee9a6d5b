#include "proxy/caddy/caddy_config.h"

#include <gtest/gtest.h>

namespace rockpool {
namespace {

using nlohmann::json;

ProxyConfig Config() {
  ProxyConfig c;
  c.socket_dir = "/run/rockpool/sockets/";
  c.control_port = 8080;
  c.workspace_port = 8081;
  return c;
}

ProxyConfig WithAuth() {
  ProxyConfig c = Config();
  c.auth = BasicAuth{"admin", "$2b$10$abcdefghijklmnopqrstuu0123456789012345678901234567890"};
  c.control_plane_upstream = "127.0.0.1:7163";
  c.dashboard_root = "/usr/share/rockpool/web";
  return c;
}

const json& Server(const json& doc, const std::string& name) {
  return doc["apps"]["http"]["servers"][name];
}

// The first handler of the first route whose matcher JSON contains `needle`.
const json* RouteMatching(const json& routes, const std::string& needle) {
  for (const auto& r : routes) {
    if (r.contains("match") && r["match"].dump().find(needle) != std::string::npos) return &r;
  }
  return nullptr;
}

TEST(CaddyConfigTest, ServersListenOnTheConfiguredPortsWithoutAutomaticHttps) {
  json doc = BuildBootstrapConfig(Config(), "127.0.0.1:2999");
  EXPECT_EQ(doc["admin"]["listen"], "127.0.0.1:2999");
  EXPECT_EQ(Server(doc, "workspaces")["listen"], json::array({":8081"}));
  EXPECT_EQ(Server(doc, "control")["listen"], json::array({":8080"}));
  EXPECT_TRUE(Server(doc, "workspaces")["automatic_https"]["disable"]);
  EXPECT_TRUE(Server(doc, "control")["automatic_https"]["disable"]);
}

TEST(CaddyConfigTest, WorkspaceRoutesComeInOrderAndEndWithA404) {
  const json doc = BuildBootstrapConfig(Config());
  const json& routes = Server(doc, "workspaces")["routes"];
  ASSERT_EQ(routes.size(), 5u);
  EXPECT_NE(routes[0]["match"].dump().find("rp_slash"), std::string::npos);
  EXPECT_NE(routes[1]["match"].dump().find("rp_slash"), std::string::npos);
  EXPECT_EQ(routes[2]["match"][0]["path_regexp"]["pattern"],
            "^/workspace/([a-z0-9-]+)/port/([0-9]+)/.*$");
  EXPECT_EQ(routes[3]["match"][0]["path_regexp"]["pattern"], "^/workspace/([a-z0-9-]+)/.*$");
  EXPECT_FALSE(routes[4].contains("match"));
  EXPECT_EQ(routes[4]["handle"][0]["status_code"], 404);
}

TEST(CaddyConfigTest, WorkspaceRouteStripsItsPrefixAndDialsTheNamedSocket) {
  const json doc = BuildBootstrapConfig(Config());
  const json& route = Server(doc, "workspaces")["routes"][3];
  const json& proxy = route["handle"][0]["routes"][0];
  EXPECT_EQ(proxy["match"][0]["file"]["root"], "/run/rockpool/sockets");
  EXPECT_EQ(proxy["match"][0]["file"]["try_files"][0], "/{http.regexp.rp_ws.1}.sock");
  EXPECT_EQ(proxy["handle"][0]["strip_path_prefix"], "/workspace/{http.regexp.rp_ws.1}");
  EXPECT_EQ(proxy["handle"][1]["handler"], "reverse_proxy");
  EXPECT_EQ(proxy["handle"][1]["upstreams"][0]["dial"],
            "unix//run/rockpool/sockets/{http.regexp.rp_ws.1}.sock");
  EXPECT_EQ(proxy["handle"][1]["flush_interval"], -1);
  const json& missing = route["handle"][0]["routes"][1]["handle"][0];
  EXPECT_EQ(missing["status_code"], 404);
  EXPECT_NE(missing["body"].get<std::string>().find("is not running"), std::string::npos);
}

TEST(CaddyConfigTest, PortRouteDialsTheNameAndPortSocket) {
  const json doc = BuildBootstrapConfig(Config());
  const json& route = Server(doc, "workspaces")["routes"][2];
  const json& proxy = route["handle"][0]["routes"][0];
  EXPECT_EQ(proxy["handle"][0]["strip_path_prefix"],
            "/workspace/{http.regexp.rp_port.1}/port/{http.regexp.rp_port.2}");
  EXPECT_EQ(proxy["handle"][1]["upstreams"][0]["dial"],
            "unix//run/rockpool/sockets/{http.regexp.rp_port.1}.{http.regexp.rp_port.2}.sock");
}

TEST(CaddyConfigTest, SlashRedirectKeepsTheQuery) {
  const json doc = BuildBootstrapConfig(Config());
  const json& routes = Server(doc, "workspaces")["routes"];
  EXPECT_EQ(routes[0]["handle"][0]["status_code"], 308);
  EXPECT_EQ(routes[0]["handle"][0]["headers"]["Location"][0],
            "{http.request.uri.path}/?{http.request.uri.query}");
  EXPECT_EQ(routes[1]["handle"][0]["headers"]["Location"][0], "{http.request.uri.path}/");
}

TEST(CaddyConfigTest, WorkspaceErrorRoutesAnswerDialFailuresWithAPage) {
  const json doc = BuildBootstrapConfig(Config());
  const json& errors = Server(doc, "workspaces")["errors"]["routes"];
  ASSERT_EQ(errors.size(), 2u);
  for (const auto& r : errors) {
    EXPECT_EQ(r["match"][0]["expression"], "{http.error.status_code} == 502");
    EXPECT_EQ(r["handle"][0]["status_code"], 502);
  }
  EXPECT_NE(errors[1]["handle"][0]["body"].get<std::string>().find(
                "Workspace \"{http.regexp.rp_err_ws.1}\" is not answering"),
            std::string::npos);
}

TEST(CaddyConfigTest, NoAuthRoutesWithoutAuth) {
  json doc = BuildBootstrapConfig(Config());
  EXPECT_EQ(doc.dump().find("authentication"), std::string::npos);
}

TEST(CaddyConfigTest, AuthComesFirstOnBothServersWithBcryptAndHashCache) {
  json doc = BuildBootstrapConfig(WithAuth());
  for (const char* server : {"workspaces", "control"}) {
    const json& auth = Server(doc, server)["routes"][0]["handle"][0];
    ASSERT_EQ(auth["handler"], "authentication") << server;
    const json& basic = auth["providers"]["http_basic"];
    EXPECT_EQ(basic["hash"]["algorithm"], "bcrypt");
    EXPECT_TRUE(basic["hash_cache"].is_object());
    EXPECT_EQ(basic["accounts"][0]["username"], "admin");
    EXPECT_EQ(basic["accounts"][0]["password"], WithAuth().auth->bcrypt_hash);
  }
  EXPECT_EQ(Server(doc, "workspaces")["routes"][0]["match"][0]["path"],
            json::array({"/workspace/*"}));
}

TEST(CaddyConfigTest, ControlAuthProtectsApiAppAndWorkspaceButNotHealth) {
  const json doc = BuildBootstrapConfig(WithAuth());
  const json& match = Server(doc, "control")["routes"][0]["match"][0];
  EXPECT_EQ(match["path"], json::array({"/api/*", "/app", "/app/*", "/workspace/*"}));
  EXPECT_EQ(match["not"][0]["path"], json::array({"/api/health"}));
}

TEST(CaddyConfigTest, ControlRoutesComeInOrderAndEndWithA404) {
  const json doc = BuildBootstrapConfig(Config());
  const json& routes = Server(doc, "control")["routes"];
  ASSERT_EQ(routes.size(), 6u);
  EXPECT_EQ(routes[0]["match"][0]["path"], json::array({"/workspace/*"}));
  EXPECT_EQ(routes[0]["handle"][0]["headers"]["Location"][0],
            "{http.request.scheme}://{http.request.host}:8081{http.request.uri}");
  EXPECT_EQ(routes[1]["match"][0]["path"], json::array({"/api/health", "/api/*"}));
  EXPECT_EQ(routes[2]["match"][0]["path"], json::array({"/app"}));
  EXPECT_EQ(routes[3]["match"][0]["path"], json::array({"/app/*"}));
  EXPECT_EQ(routes[4]["match"][0]["path"], json::array({"/"}));
  EXPECT_EQ(routes[4]["handle"][0]["headers"]["Location"][0], "/app/workspaces");
  EXPECT_EQ(routes[5]["handle"][0]["status_code"], 404);
}

TEST(CaddyConfigTest, ApiWithoutUpstreamAnswers503Json) {
  const json doc = BuildBootstrapConfig(Config());
  const json* api = RouteMatching(Server(doc, "control")["routes"], "/api/*");
  ASSERT_NE(api, nullptr);
  const json& h = (*api)["handle"][0];
  EXPECT_EQ(h["status_code"], 503);
  EXPECT_EQ(json::parse(h["body"].get<std::string>())["error"]["code"], "unavailable");
}

TEST(CaddyConfigTest, ApiWithUpstreamIsProxied) {
  const json doc = BuildBootstrapConfig(WithAuth());
  const json* api = RouteMatching(Server(doc, "control")["routes"], "[\"/api/health\",\"/api/*\"]");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ((*api)["handle"][0]["upstreams"][0]["dial"], "127.0.0.1:7163");
}

TEST(CaddyConfigTest, DashboardIsServedFromItsRootWithHistoryFallbackAndCaching) {
  const json doc = BuildBootstrapConfig(WithAuth());
  const json& routes = Server(doc, "control")["routes"];
  const json* app = RouteMatching(routes, "\"/app/*\"]");
  ASSERT_NE(app, nullptr);
  std::string sub = (*app)["handle"][0]["routes"].dump();
  EXPECT_NE(sub.find("\"strip_path_prefix\":\"/app\""), std::string::npos);
  EXPECT_NE(sub.find("\"try_files\":[\"{http.request.uri.path}\",\"/index.html\"]"),
            std::string::npos);
  EXPECT_NE(sub.find("\"root\":\"/usr/share/rockpool/web\""), std::string::npos);
  EXPECT_NE(sub.find("public, max-age=31536000, immutable"), std::string::npos);
  EXPECT_NE(sub.find("no-cache"), std::string::npos);
}

TEST(CaddyConfigTest, DashboardPlaceholderWithoutRoot) {
  const json doc = BuildBootstrapConfig(Config());
  const json* app = RouteMatching(Server(doc, "control")["routes"], "\"/app/*\"]");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ((*app)["handle"][0]["status_code"], 200);
  EXPECT_NE((*app)["handle"][0]["body"].get<std::string>().find("not installed"),
            std::string::npos);
}

TEST(CaddyConfigTest, MarkerCarriesADigestOfTheConfig) {
  json doc = BuildBootstrapConfig(Config());
  std::string id = Server(doc, "workspaces")["routes"].back()["@id"];
  EXPECT_EQ(id, BootstrapMarkerId(Config()));
  EXPECT_EQ(id.rfind("rockpool-config-", 0), 0u);
  EXPECT_EQ(id.size(), std::string("rockpool-config-").size() + 16);
  EXPECT_EQ(BuildBootstrapConfig(Config()), doc);  // deterministic
  EXPECT_NE(BootstrapMarkerId(WithAuth()), id);
  EXPECT_NE(BootstrapMarkerId(Config(), "127.0.0.1:2999"), id);
}

TEST(CaddyConfigTest, ConfigIsNotPersistedAcrossRestarts) {
  EXPECT_EQ(BuildBootstrapConfig(Config())["admin"]["config"]["persist"], false);
}

}  // namespace
}  // namespace rockpool
