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

ProxyConfig Full() {
  ProxyConfig c = Config();
  c.control_plane_upstreams = {"unix//var/lib/rockpool/control.sock"};
  c.dashboard_root = "/usr/share/rockpool/web";
  return c;
}

const json& Server(const json& doc, const std::string& name) {
  return doc["apps"]["http"]["servers"][name];
}

const json& Routes(const json& doc, const std::string& server) {
  return Server(doc, server)["routes"];
}

// The first route whose matcher JSON contains `needle`.
const json* RouteMatching(const json& routes, const std::string& needle) {
  for (const auto& r : routes) {
    if (r.contains("match") && r["match"].dump().find(needle) != std::string::npos) return &r;
  }
  return nullptr;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every value of every Location header anywhere in `j`.
void CollectLocations(const json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    if (j.contains("Location") && j["Location"].is_array()) {
      for (const auto& v : j["Location"]) out.push_back(v);
    }
    for (const auto& [k, v] : j.items()) CollectLocations(v, out);
  } else if (j.is_array()) {
    for (const auto& v : j) CollectLocations(v, out);
  }
}

TEST(CaddyConfigTest, ServersListenOnTheConfiguredPortsWithoutAutomaticHttps) {
  json doc = BuildBootstrapConfig(Config(), "unix//var/lib/rockpool/caddy/admin.sock");
  EXPECT_EQ(doc["admin"]["listen"], "unix//var/lib/rockpool/caddy/admin.sock");
  EXPECT_EQ(Server(doc, "workspaces")["listen"], json::array({":8081"}));
  EXPECT_EQ(Server(doc, "control")["listen"], json::array({":8080"}));
  EXPECT_TRUE(Server(doc, "workspaces")["automatic_https"]["disable"]);
  EXPECT_TRUE(Server(doc, "control")["automatic_https"]["disable"]);
}

TEST(CaddyConfigTest, TheConfigHoldsNoCredentials) {
  std::string doc = BuildBootstrapConfig(Full()).dump();
  for (const char* word : {"authentication", "http_basic", "bcrypt", "$2b$", "password"}) {
    EXPECT_FALSE(Contains(doc, word)) << word;
  }
}

TEST(CaddyConfigTest, WorkspaceRoutesComeInOrderAndEndWithA404) {
  const json doc = BuildBootstrapConfig(Full());
  const json& routes = Routes(doc, "workspaces");
  ASSERT_EQ(routes.size(), 7u);
  EXPECT_EQ(routes[0]["handle"][0]["handler"], "headers");
  EXPECT_TRUE(Contains(routes[1]["match"].dump(), "rp_guard"));
  EXPECT_EQ(routes[2]["match"][0]["path"], json::array({"/workspace/*"}));
  EXPECT_TRUE(Contains(routes[3]["match"].dump(), "rp_slash"));
  EXPECT_EQ(routes[4]["match"][0]["vars_regexp"]["{http.request.uri}"]["pattern"],
            "^/workspace/([a-z0-9-]+)/port/([0-9]+)/");
  EXPECT_EQ(routes[5]["match"][0]["vars_regexp"]["{http.request.uri}"]["pattern"],
            "^/workspace/([a-z0-9-]+)/");
  EXPECT_FALSE(routes[6].contains("match"));
  EXPECT_EQ(routes[6]["handle"][0]["status_code"], 404);
}

TEST(CaddyConfigTest, WorkspaceRouteStripsItsPrefixAndDialsTheNamedSocket) {
  const json doc = BuildBootstrapConfig(Config());
  const json& route = Routes(doc, "workspaces")[5];
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
  EXPECT_TRUE(Contains(missing["body"], "is not running"));
}

TEST(CaddyConfigTest, PortRouteDialsTheNameAndPortSocket) {
  const json doc = BuildBootstrapConfig(Config());
  const json& proxy = Routes(doc, "workspaces")[4]["handle"][0]["routes"][0];
  EXPECT_EQ(proxy["handle"][0]["strip_path_prefix"],
            "/workspace/{http.regexp.rp_port.1}/port/{http.regexp.rp_port.2}");
  EXPECT_EQ(proxy["handle"][1]["upstreams"][0]["dial"],
            "unix//run/rockpool/sockets/{http.regexp.rp_port.1}.{http.regexp.rp_port.2}.sock");
}

TEST(CaddyConfigTest, RequestsToWorkspacesLoseTheUsersCredentials) {
  const json doc = BuildBootstrapConfig(Config());
  for (int route : {4, 5}) {
    const json& proxy = Routes(doc, "workspaces")[route]["handle"][0]["routes"][0]["handle"][1];
    const json& ops = proxy["headers"]["request"];
    EXPECT_EQ(ops["delete"], json::array({"Authorization", "Proxy-Authorization", "X-Rockpool-*"}));
    ASSERT_EQ(ops["replace"]["Cookie"].size(), 2u);
    EXPECT_EQ(ops["replace"]["Cookie"][0]["search_regexp"], R"((?i)(^|;)\s*rockpool[^;]*)");
  }
}

TEST(CaddyConfigTest, SlashRedirectIsBuiltFromItsCaptures) {
  const json doc = BuildBootstrapConfig(Config());
  const json& redirect = Routes(doc, "workspaces")[3]["handle"][0];
  EXPECT_EQ(redirect["status_code"], 308);
  EXPECT_EQ(redirect["headers"]["Location"][0],
            "/workspace/{http.regexp.rp_slash.1}{http.regexp.rp_slash.2}/"
            "{http.regexp.rp_slash.3}");
}

TEST(CaddyConfigTest, NoLocationIsBuiltFromTheRawPathOrHost) {
  std::vector<std::string> locations;
  CollectLocations(BuildBootstrapConfig(Full()), locations);
  ASSERT_GE(locations.size(), 4u);
  for (const auto& l : locations) {
    EXPECT_FALSE(Contains(l, "{http.request.uri")) << l;
    EXPECT_FALSE(Contains(l, "{http.request.host")) << l;
    EXPECT_FALSE(Contains(l, "{http.request.orig")) << l;
    EXPECT_TRUE((l.rfind("/", 0) == 0 && l.rfind("//", 0) != 0) ||
                l.rfind("{http.request.scheme}://{http.regexp.rp_host.1}:", 0) == 0)
        << l;
  }
}

TEST(CaddyConfigTest, WorkspaceErrorRoutesSetHeadersAndAnswerWithPages) {
  const json doc = BuildBootstrapConfig(Full());
  const json& errors = Server(doc, "workspaces")["errors"]["routes"];
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0]["handle"][0]["handler"], "headers");
  EXPECT_EQ(errors[1]["match"][0]["vars"]["rp_stage"], json::array({"auth"}));
  EXPECT_EQ(errors[1]["handle"][0]["status_code"], 503);
  for (int i : {2, 3}) {
    EXPECT_EQ(errors[i]["match"][0]["expression"], "{http.error.status_code} == 502");
    EXPECT_EQ(errors[i]["handle"][0]["status_code"], 502);
  }
  EXPECT_TRUE(Contains(errors[3]["handle"][0]["body"],
                       "Workspace \"{http.regexp.rp_err_ws.1}\" is not answering"));
}

TEST(CaddyConfigTest, ForwardAuthAsksTheControlPlaneWithAPlainGet) {
  const json doc = BuildBootstrapConfig(Full());
  const json& route = Routes(doc, "control")[3];
  EXPECT_EQ(route["match"][0]["path"], json::array({"/app", "/app/*", "/workspace/*"}));
  EXPECT_FALSE(route.contains("terminal"));
  EXPECT_EQ(route["handle"][0]["rp_stage"], "auth");
  const json& auth = route["handle"][1];
  EXPECT_EQ(auth["handler"], "reverse_proxy");
  EXPECT_EQ(auth["upstreams"][0]["dial"], "unix//var/lib/rockpool/control.sock");
  EXPECT_EQ(auth["rewrite"]["method"], "GET");
  EXPECT_EQ(auth["rewrite"]["uri"], "/internal/authorize?");
  const json& ops = auth["headers"]["request"];
  EXPECT_EQ(ops["set"]["X-Forwarded-Method"][0], "{http.request.method}");
  EXPECT_EQ(ops["set"]["X-Forwarded-Uri"][0], "{http.request.uri}");
  EXPECT_EQ(ops["set"]["X-Rockpool-Client-Address"][0], "{http.request.remote.host}");
  EXPECT_EQ(ops["delete"], json::array({"Connection", "Upgrade", "Sec-WebSocket-*"}));
  EXPECT_EQ(auth["handle_response"][0]["match"]["status_code"], json::array({2}));
  EXPECT_EQ(auth["handle_response"][0]["routes"][0]["handle"][0]["rp_stage"], "content");
  EXPECT_EQ(Routes(doc, "workspaces")[2]["handle"][1], auth);
}

TEST(CaddyConfigTest, WithoutControlPlaneProtectedPathsAnswer503) {
  const json doc = BuildBootstrapConfig(Config());
  for (const auto& [server, index] : {std::pair{"control", 3}, {"workspaces", 2}}) {
    const json& route = Routes(doc, server)[index];
    EXPECT_TRUE(route["terminal"]) << server;
    EXPECT_EQ(route["handle"][0]["status_code"], 503) << server;
    EXPECT_TRUE(Contains(route["handle"][0]["body"], "control plane is not running")) << server;
  }
}

TEST(CaddyConfigTest, ControlRoutesComeInOrderAndEndWithA404) {
  const json doc = BuildBootstrapConfig(Full());
  const json& routes = Routes(doc, "control");
  ASSERT_EQ(routes.size(), 9u);
  EXPECT_EQ(routes[0]["handle"][0]["handler"], "headers");
  EXPECT_TRUE(Contains(routes[1]["match"].dump(), "rp_guard"));
  EXPECT_EQ(routes[2]["match"][0]["path"], json::array({"/api/*"}));
  EXPECT_EQ(routes[3]["match"][0]["path"], json::array({"/app", "/app/*", "/workspace/*"}));
  EXPECT_TRUE(Contains(routes[4]["match"].dump(), "rp_to_ws"));
  EXPECT_EQ(routes[5]["match"][0]["path"], json::array({"/app"}));
  EXPECT_EQ(routes[6]["match"][0]["path"], json::array({"/app/*"}));
  EXPECT_EQ(routes[7]["match"][0]["path"], json::array({"/"}));
  EXPECT_EQ(routes[7]["handle"][0]["headers"]["Location"][0], "/app/workspaces");
  EXPECT_EQ(routes[8]["handle"][0]["status_code"], 404);
}

TEST(CaddyConfigTest, WorkspaceRedirectGoesToTheWorkspacePortOfAValidatedHost) {
  const json doc = BuildBootstrapConfig(Config());
  const json& route = Routes(doc, "control")[4];
  EXPECT_EQ(route["match"][0]["header_regexp"]["Host"]["name"], "rp_host");
  EXPECT_EQ(route["handle"][0]["status_code"], 302);
  EXPECT_EQ(route["handle"][0]["headers"]["Location"][0],
            "{http.request.scheme}://{http.regexp.rp_host.1}:8081/workspace/"
            "{http.regexp.rp_to_ws.1}{http.regexp.rp_to_ws.2}{http.regexp.rp_to_ws.3}");
}

TEST(CaddyConfigTest, ApiWithoutUpstreamAnswers503Json) {
  const json doc = BuildBootstrapConfig(Config());
  const json& h = Routes(doc, "control")[2]["handle"][0];
  EXPECT_EQ(h["status_code"], 503);
  EXPECT_EQ(json::parse(h["body"].get<std::string>())["error"]["code"], "unavailable");
}

TEST(CaddyConfigTest, ApiRefusesLargeBodiesThenProxiesWithTheClientAddress) {
  const json doc = BuildBootstrapConfig(Full());
  const json& sub = Routes(doc, "control")[2]["handle"][0]["routes"];
  ASSERT_EQ(sub.size(), 4u);
  EXPECT_EQ(sub[0]["match"][0]["expression"],
            "{http.request.header.Content-Length} != '' && "
            "int({http.request.header.Content-Length}) > 65536");
  EXPECT_EQ(sub[0]["handle"][0]["status_code"], 413);
  EXPECT_EQ(sub[1]["handle"][0]["max_size"], 65537);
  EXPECT_EQ(sub[2]["match"][0]["expression"], "size(bytes({http.request.body})) > 65536");
  EXPECT_EQ(json::parse(sub[2]["handle"][0]["body"].get<std::string>())["error"]["code"],
            "too_large");
  const json& proxy = sub[3]["handle"][1];
  EXPECT_EQ(proxy["upstreams"][0]["dial"], "unix//var/lib/rockpool/control.sock");
  EXPECT_EQ(proxy["headers"]["request"]["set"]["X-Rockpool-Client-Address"][0],
            "{http.request.remote.host}");
}

TEST(CaddyConfigTest, ApiBodyLimitComesFromTheConfig) {
  ProxyConfig c = Full();
  c.api_body_limit = 1024;
  const json doc = BuildBootstrapConfig(c);
  const json& sub = Routes(doc, "control")[2]["handle"][0]["routes"];
  EXPECT_TRUE(Contains(sub[0]["match"][0]["expression"], "> 1024"));
  EXPECT_EQ(sub[1]["handle"][0]["max_size"], 1025);
  EXPECT_NE(BootstrapMarkerId(c), BootstrapMarkerId(Full()));
}

TEST(CaddyConfigTest, ControlAnswersCarryNoSniffReferrerPolicyAndNoFraming) {
  const json doc = BuildBootstrapConfig(Full());
  const json& first = Routes(doc, "control")[0]["handle"];
  EXPECT_TRUE(first[0]["response"]["deferred"]);
  const json& set = first[0]["response"]["set"];
  EXPECT_EQ(set["X-Content-Type-Options"][0], "nosniff");
  EXPECT_EQ(set["Referrer-Policy"][0], "same-origin");
  EXPECT_EQ(set["X-Frame-Options"][0], "DENY");
  EXPECT_EQ(first[1]["response"]["set"]["Content-Security-Policy"][0], "frame-ancestors 'none'");
  const json& errors = Server(doc, "control")["errors"]["routes"][0]["handle"][0];
  EXPECT_EQ(errors["response"]["set"]["X-Frame-Options"][0], "DENY");
  EXPECT_EQ(errors["response"]["set"]["Content-Security-Policy"][0], "frame-ancestors 'none'");
}

TEST(CaddyConfigTest, WorkspaceAnswersMayBeFramedByTheirOwnOrigin) {
  const json doc = BuildBootstrapConfig(Full());
  const json& first = Routes(doc, "workspaces")[0]["handle"];
  ASSERT_EQ(first.size(), 1u);
  const json& set = first[0]["response"]["set"];
  EXPECT_EQ(set["X-Content-Type-Options"][0], "nosniff");
  EXPECT_EQ(set["Referrer-Policy"][0], "same-origin");
  EXPECT_FALSE(set.contains("X-Frame-Options"));
  EXPECT_FALSE(Contains(Server(doc, "workspaces").dump(), "frame-ancestors"));
}

TEST(CaddyConfigTest, DashboardIsServedFromItsRootWithHistoryFallbackAndCaching) {
  const json doc = BuildBootstrapConfig(Full());
  const json& app = Routes(doc, "control")[6];
  std::string sub = app["handle"][0]["routes"].dump();
  EXPECT_TRUE(Contains(sub, "\"strip_path_prefix\":\"/app\""));
  EXPECT_TRUE(Contains(sub, "\"try_files\":[\"{http.request.uri.path}\",\"/index.html\"]"));
  EXPECT_TRUE(Contains(sub, "\"root\":\"/usr/share/rockpool/web\""));
  EXPECT_TRUE(Contains(sub, "public, max-age=31536000, immutable"));
  EXPECT_TRUE(Contains(sub, "no-cache"));
}

TEST(CaddyConfigTest, DashboardPlaceholderWithoutRoot) {
  const json doc = BuildBootstrapConfig(Config());
  const json* app = RouteMatching(Routes(doc, "control"), "[\"/app/*\"]");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ((*app)["handle"][0]["status_code"], 200);
  EXPECT_TRUE(Contains((*app)["handle"][0]["body"], "not installed"));
}

TEST(CaddyConfigTest, MarkerCarriesADigestOfTheConfig) {
  json doc = BuildBootstrapConfig(Config());
  std::string id = Routes(doc, "workspaces").back()["@id"];
  EXPECT_EQ(id, BootstrapMarkerId(Config()));
  EXPECT_EQ(id.rfind("rockpool-config-", 0), 0u);
  EXPECT_EQ(id.size(), std::string("rockpool-config-").size() + 16);
  EXPECT_EQ(BuildBootstrapConfig(Config()), doc);  // deterministic
  EXPECT_NE(BootstrapMarkerId(Full()), id);
  EXPECT_NE(BootstrapMarkerId(Config(), "unix//run/other.sock"), id);
}

ProxyConfig PortMode() {
  ProxyConfig c = Full();
  c.origin_first_port = 20000;
  c.origin_last_port = 20999;
  return c;
}

TEST(CaddyConfigTest, WithoutAnOriginRangeThereIsNoOriginServer) {
  const json doc = BuildBootstrapConfig(Full());
  EXPECT_FALSE(doc["apps"]["http"]["servers"].contains("origins"));
  EXPECT_FALSE(Contains(doc.dump(), "X-Rockpool-Socket"));
  EXPECT_EQ(doc["apps"]["http"]["servers"].size(), 2u);
}

TEST(CaddyConfigTest, OriginServerListensOnTheRangeWithoutAutomaticHttps) {
  const json doc = BuildBootstrapConfig(PortMode());
  EXPECT_EQ(Server(doc, "origins")["listen"], json::array({":20000-20999"}));
  EXPECT_TRUE(Server(doc, "origins")["automatic_https"]["disable"]);
  // The other servers and the marker's place do not change.
  json without = BuildBootstrapConfig(Full());
  for (const char* server : {"workspaces", "control"}) {
    json a = Server(doc, server), b = Server(without, server);
    a["routes"].back().erase("@id");
    b["routes"].back().erase("@id");
    EXPECT_EQ(a, b) << server;
  }
  EXPECT_EQ(Routes(doc, "workspaces").back()["@id"], BootstrapMarkerId(PortMode()));
  EXPECT_NE(BootstrapMarkerId(PortMode()), BootstrapMarkerId(Full()));
}

TEST(CaddyConfigTest, OriginRoutesDeleteTheClientsSocketHeaderBeforeForwardAuth) {
  const json doc = BuildBootstrapConfig(PortMode());
  const json& routes = Routes(doc, "origins");
  ASSERT_EQ(routes.size(), 6u);
  EXPECT_FALSE(routes[0].contains("match"));
  EXPECT_EQ(routes[0]["handle"][0]["handler"], "headers");
  EXPECT_EQ(routes[0]["handle"][0]["request"]["delete"], json::array({"X-Rockpool-Socket"}));
  EXPECT_EQ(routes[1]["handle"][0]["response"]["set"]["X-Content-Type-Options"][0], "nosniff");
  EXPECT_TRUE(Contains(routes[2]["match"].dump(), "rp_guard"));
  EXPECT_FALSE(routes[3].contains("match"));  // every request, whatever its path
  EXPECT_EQ(routes[3]["handle"][1]["rewrite"]["uri"], "/internal/authorize?");
  EXPECT_TRUE(Contains(routes[4]["match"].dump(), "X-Rockpool-Socket"));
  EXPECT_FALSE(routes[5].contains("match"));
  EXPECT_EQ(routes[5]["handle"][0]["status_code"], 404);
  EXPECT_TRUE(Contains(routes[5]["handle"][0]["body"], "rockpool ws start"));
}

TEST(CaddyConfigTest, OriginForwardAuthCopiesOnlyASocketNameFromA2xxAnswer) {
  const json doc = BuildBootstrapConfig(PortMode());
  const json& auth = Routes(doc, "origins")[3]["handle"][1];
  const json& allowed = auth["handle_response"][0];
  EXPECT_EQ(allowed["match"]["status_code"], json::array({2}));
  ASSERT_EQ(allowed["routes"].size(), 2u);
  EXPECT_EQ(allowed["routes"][0]["handle"][0]["rp_stage"], "content");
  const json& copy = allowed["routes"][1];
  const json& valid =
      copy["match"][0]["vars_regexp"]["{http.reverse_proxy.header.X-Rockpool-Socket}"];
  EXPECT_EQ(valid["pattern"], R"(^[a-z0-9-]+(\.[0-9]+)?\.sock$)");
  EXPECT_EQ(copy["handle"][0]["handler"], "headers");
  EXPECT_EQ(copy["handle"][0]["request"]["set"]["X-Rockpool-Socket"],
            json::array({"{http.reverse_proxy.header.X-Rockpool-Socket}"}));
  // The rest of the subrequest is the other servers' one.
  json plain = auth;
  plain["handle_response"][0]["routes"].erase(1);
  EXPECT_EQ(plain, Routes(doc, "workspaces")[2]["handle"][1]);
  EXPECT_FALSE(Contains(Server(doc, "workspaces").dump(), "X-Rockpool-Socket"));
  EXPECT_FALSE(Contains(Server(doc, "control").dump(), "X-Rockpool-Socket"));
}

TEST(CaddyConfigTest, OriginContentDialsTheNamedSocketWithThePathUnchanged) {
  const json doc = BuildBootstrapConfig(PortMode());
  const json& route = Routes(doc, "origins")[4];
  EXPECT_FALSE(route.contains("terminal"));  // a name that is no file falls through to the 404
  const json& named = route["match"][0]["header_regexp"]["X-Rockpool-Socket"];
  EXPECT_EQ(named["pattern"], R"(^[a-z0-9-]+(\.[0-9]+)?\.sock$)");
  const json& sub = route["handle"][0]["routes"];
  ASSERT_EQ(sub.size(), 1u);
  EXPECT_EQ(sub[0]["match"][0]["file"]["root"], "/run/rockpool/sockets");
  EXPECT_EQ(sub[0]["match"][0]["file"]["try_files"],
            json::array({"/{http.request.header.X-Rockpool-Socket}"}));
  ASSERT_EQ(sub[0]["handle"].size(), 1u);  // no rewrite: nothing is stripped
  const json& proxy = sub[0]["handle"][0];
  EXPECT_EQ(proxy["handler"], "reverse_proxy");
  EXPECT_EQ(proxy["upstreams"][0]["dial"],
            "unix//run/rockpool/sockets/{http.request.header.X-Rockpool-Socket}");
  EXPECT_EQ(proxy["headers"]["request"]["delete"],
            json::array({"Authorization", "Proxy-Authorization", "X-Rockpool-*"}));
  EXPECT_FALSE(Contains(Server(doc, "origins").dump(), "strip_path_prefix"));
}

TEST(CaddyConfigTest, OriginErrorRoutesSetHeadersAndAnswerWithPages) {
  const json doc = BuildBootstrapConfig(PortMode());
  const json& errors = Server(doc, "origins")["errors"]["routes"];
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0]["handle"][0]["handler"], "headers");
  EXPECT_EQ(errors[1]["match"][0]["vars"]["rp_stage"], json::array({"auth"}));
  EXPECT_EQ(errors[1]["handle"][0]["status_code"], 503);
  EXPECT_EQ(errors[2]["match"][0]["expression"], "{http.error.status_code} == 502");
  EXPECT_EQ(errors[2]["handle"][0]["status_code"], 502);
}

TEST(CaddyConfigTest, OriginServerWithoutControlPlaneAnswers503) {
  ProxyConfig c = Config();
  c.origin_first_port = 20000;
  c.origin_last_port = 20001;
  const json doc = BuildBootstrapConfig(c);
  const json& route = Routes(doc, "origins")[3];
  EXPECT_FALSE(route.contains("match"));
  EXPECT_TRUE(route["terminal"]);
  EXPECT_EQ(route["handle"][0]["status_code"], 503);
}

TEST(CaddyConfigTest, ConfigIsNotPersistedAcrossRestarts) {
  EXPECT_EQ(BuildBootstrapConfig(Config())["admin"]["config"]["persist"], false);
}

}  // namespace
}  // namespace rockpool
