#include "api/csrf.h"

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
