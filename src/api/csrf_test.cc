#include "api/csrf.h"

#include <array>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rockpool::api {
namespace {

using ::testing::HasSubstr;

// A request as the proxy forwards it to the control plane at http://localhost:8080.
GateRequest Post() {
  GateRequest r;
  r.method = "POST";
  r.path = "/api/workspaces/demo/stop";
  r.host = "localhost:8080";
  r.forwarded_proto = "http";
  return r;
}

TEST(CsrfTest, ReadsAreNeverRefused) {
  GateRequest r = Post();
  r.method = "GET";
  r.origin = "http://evil.example";
  r.sec_fetch_site = "cross-site";
  EXPECT_EQ(CrossSiteRefusal(r), std::nullopt);
}

TEST(CsrfTest, CrossSiteFormPostIsRefused) {
  GateRequest r = Post();
  r.origin = "http://evil.example";
  r.content_type = "application/x-www-form-urlencoded";
  auto refusal = CrossSiteRefusal(r);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_THAT(*refusal, HasSubstr("refused POST /api/workspaces/demo/stop"));
  EXPECT_THAT(*refusal, HasSubstr("http://evil.example, not of http://localhost:8080"));
}

TEST(CsrfTest, NoCorsTextPlainPostFromAnotherSiteIsRefused) {
  GateRequest r = Post();
  r.sec_fetch_site = "cross-site";
  r.origin = "http://evil.example";
  r.content_type = "text/plain;charset=UTF-8";
  EXPECT_THAT(*CrossSiteRefusal(r), HasSubstr("Sec-Fetch-Site: cross-site"));
}

TEST(CsrfTest, SameSiteButOtherOriginIsRefused) {
  GateRequest r = Post();  // e.g. a page served by a workspace on another port of the host
  r.sec_fetch_site = "same-site";
  r.content_type = "application/json";
  EXPECT_THAT(*CrossSiteRefusal(r), HasSubstr("Sec-Fetch-Site: same-site"));
  r.sec_fetch_site.reset();
  r.origin = "http://localhost:20001";
  EXPECT_THAT(*CrossSiteRefusal(r), HasSubstr("http://localhost:20001"));
}

TEST(CsrfTest, OldBrowserFormWithoutFetchMetadataOrOriginIsRefusedByItsContentType) {
  GateRequest r = Post();
  r.content_type = "application/x-www-form-urlencoded";
  EXPECT_THAT(*CrossSiteRefusal(r), HasSubstr("neither Content-Type: application/json nor an "
                                              "X-Rockpool-Request header"));
  r.content_type = "multipart/form-data; boundary=x";
  EXPECT_TRUE(CrossSiteRefusal(r).has_value());
  r.content_type = "";
  EXPECT_TRUE(CrossSiteRefusal(r).has_value()) << "a body-less POST needs the header too";
}

TEST(CsrfTest, NullOriginIsRefused) {
  GateRequest r = Post();
  r.origin = "null";  // sandboxed frames, data: URLs
  r.has_rockpool_request_header = true;
  EXPECT_TRUE(CrossSiteRefusal(r).has_value());
}

TEST(CsrfTest, TheDashboardPasses) {
  GateRequest r = Post();
  r.origin = "http://localhost:8080";
  r.sec_fetch_site = "same-origin";
  r.has_rockpool_request_header = true;
  EXPECT_EQ(CrossSiteRefusal(r), std::nullopt);
  r.has_rockpool_request_header = false;
  r.content_type = "application/json; charset=utf-8";
  EXPECT_EQ(CrossSiteRefusal(r), std::nullopt);
}

TEST(CsrfTest, TheCliAndScriptsPass) {
  GateRequest r = Post();  // no Origin, no Fetch Metadata
  r.has_rockpool_request_header = true;
  EXPECT_EQ(CrossSiteRefusal(r), std::nullopt);
  r.has_rockpool_request_header = false;
  r.content_type = "Application/JSON";
  EXPECT_EQ(CrossSiteRefusal(r), std::nullopt);
  r.sec_fetch_site = "none";  // typed into the address bar, a bookmark
  EXPECT_EQ(CrossSiteRefusal(r), std::nullopt);
}

TEST(CsrfTest, OriginComparisonIgnoresCaseAndDefaultPortsAndFollowsTheForwardedProto) {
  GateRequest r = Post();
  r.has_rockpool_request_header = true;
  r.host = "Rockpool.Example";
  r.origin = "http://rockpool.example:80";
  EXPECT_EQ(CrossSiteRefusal(r), std::nullopt);
  r.forwarded_proto = "https";
  r.origin = "https://rockpool.example";
  EXPECT_EQ(CrossSiteRefusal(r), std::nullopt);
  r.origin = "http://rockpool.example";
  EXPECT_TRUE(CrossSiteRefusal(r).has_value()) << "http page, https API";
}

TEST(CsrfTest, EveryStateChangingMethodIsChecked) {
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    GateRequest r = Post();
    r.method = method;
    r.origin = "http://evil.example";
    r.has_rockpool_request_header = true;
    EXPECT_TRUE(CrossSiteRefusal(r).has_value()) << method;
  }
}

}  // namespace
}  // namespace rockpool::api

namespace rockpool::api {
namespace {

// A request for workspace content as it reached the origin http://host:20001.
GateRequest OnOrigin(const std::string& method, const std::string& site, const std::string& mode,
                     const std::string& dest) {
  GateRequest r;
  r.method = method;
  r.path = "/stable/static/out/vs/workbench/workbench.js";
  r.host = "host:20001";
  r.forwarded_proto = "http";
  r.sec_fetch_site = site;
  r.sec_fetch_mode = mode;
  r.sec_fetch_dest = dest;
  return r;
}

TEST(CrossOriginTest, TheOriginsOwnPagesAndTopLevelNavigationsPass) {
  EXPECT_EQ(CrossOriginRefusal(OnOrigin("GET", "same-origin", "cors", "empty")), std::nullopt);
  EXPECT_EQ(CrossOriginRefusal(OnOrigin("GET", "same-origin", "websocket", "websocket")),
            std::nullopt);
  EXPECT_EQ(CrossOriginRefusal(OnOrigin("GET", "same-origin", "navigate", "iframe")),
            std::nullopt);  // code-server's webviews
  EXPECT_EQ(CrossOriginRefusal(OnOrigin("POST", "same-origin", "cors", "empty")), std::nullopt);
  EXPECT_EQ(CrossOriginRefusal(OnOrigin("GET", "none", "navigate", "document")), std::nullopt);
  // A link from the dashboard or another workspace opens the workspace in a tab: its script
  // cannot reach into that tab.
  EXPECT_EQ(CrossOriginRefusal(OnOrigin("GET", "same-site", "navigate", "document")), std::nullopt);
  EXPECT_EQ(CrossOriginRefusal(OnOrigin("GET", "cross-site", "navigate", "document")),
            std::nullopt);
  GateRequest script;  // curl, the CLI: no Fetch Metadata, no Origin
  script.method = "GET";
  script.host = "host:20001";
  EXPECT_EQ(CrossOriginRefusal(script), std::nullopt);
}

TEST(CrossOriginTest, WhatAnotherOriginOnTheHostSendsIsRefused) {
  for (const auto& [method, mode, dest] : std::vector<std::array<std::string, 3>>{
           {"GET", "cors", "empty"},             // fetch() of the IDE's files
           {"GET", "no-cors", "script"},         // <script src>
           {"GET", "websocket", "websocket"},    // the terminal's WebSocket
           {"GET", "navigate", "iframe"},        // framing the IDE
           {"POST", "navigate", "document"}}) {  // a form posted into it
    auto refusal = CrossOriginRefusal(OnOrigin(method, "same-site", mode, dest));
    ASSERT_TRUE(refusal) << mode << " " << dest;
    EXPECT_THAT(*refusal, HasSubstr("Sec-Fetch-Site: same-site, Sec-Fetch-Mode: " + mode));
    EXPECT_THAT(*refusal, HasSubstr("Open it in a tab of its own"));
  }
}

TEST(CrossOriginTest, AnOriginHeaderOfAnotherPortGivesAwayABrowserWithoutFetchMetadata) {
  GateRequest ws = OnOrigin("GET", "", "", "");
  ws.sec_fetch_site.reset();
  ws.origin = "http://host:20002";  // another workspace's origin: same site, other port
  auto refusal = CrossOriginRefusal(ws);
  ASSERT_TRUE(refusal);
  EXPECT_THAT(*refusal, HasSubstr("sent by a page of http://host:20002, not of http://host:20001"));
  ws.origin = "http://HOST:20001";
  EXPECT_EQ(CrossOriginRefusal(ws), std::nullopt);
  ws.origin = "null";  // a sandboxed frame
  EXPECT_TRUE(CrossOriginRefusal(ws));
}

}  // namespace
}  // namespace rockpool::api
