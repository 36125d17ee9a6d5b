#include "api/origin_entry.h"

#include <gtest/gtest.h>

namespace rockpool::api {
namespace {

TEST(OriginEntryTest, SeedUrlsNameTheIdeOrPortAndWhatFollows) {
  auto ide = ParseEntry("/workspace/alpha/?folder=/home");
  ASSERT_TRUE(ide);
  EXPECT_EQ(ide->name, "alpha");
  EXPECT_EQ(ide->forwarded_port, 0);
  EXPECT_EQ(ide->rest, "/?folder=/home");
  EXPECT_EQ(ParseEntry("/workspace/alpha")->rest, "/");
  EXPECT_EQ(ParseEntry("/workspace/alpha?x=1")->rest, "/?x=1");
  auto port = ParseEntry("/workspace/a-1/port/3000/api/v1?q=2");
  ASSERT_TRUE(port);
  EXPECT_EQ(port->name, "a-1");
  EXPECT_EQ(port->forwarded_port, 3000);
  EXPECT_EQ(port->rest, "/api/v1?q=2");
  EXPECT_EQ(ParseEntry("/workspace/alpha/port/8080")->rest, "/");
}

TEST(OriginEntryTest, AnythingElseIsNoSeedUrl) {
  for (const char* uri : {"/app/", "/workspace/", "/workspace/Alpha/", "/workspace/al%70ha/",
                          "/workspace/alpha/port//", "/workspace/alpha/port/0/",
                          "/workspace/alpha/port/123456/", "/workspace/alpha/port/x/"}) {
    EXPECT_FALSE(ParseEntry(uri)) << uri;
  }
  // "port" not followed by a number is a path of the IDE.
  EXPECT_EQ(ParseEntry("/workspace/alpha/portal")->rest, "/portal");
}

TEST(OriginEntryTest, TheOriginIsTheSameHostOnItsPort) {
  EXPECT_EQ(OriginUrl("http", "devbox:8081", 20001, "/x?y"), "http://devbox:20001/x?y");
  EXPECT_EQ(OriginUrl("https", "[::1]:8081", 20001, "/"), "https://[::1]:20001/");
  EXPECT_EQ(OriginUrl("gopher", "devbox", 20001, "/"), "http://devbox:20001/");
  EXPECT_FALSE(OriginUrl("http", "evil.example/x", 20001, "/"));
  EXPECT_FALSE(OriginUrl("http", "", 20001, "/"));
  EXPECT_EQ(HostPort("devbox:20001"), 20001);
  EXPECT_EQ(HostPort("[::1]:8081"), 8081);
  EXPECT_EQ(HostPort("devbox"), 0);
  EXPECT_EQ(HostPort("dev box:1"), 0);
}

TEST(OriginEntryTest, AHandoffGoesOnOnlyToAPathOfItsOrigin) {
  const std::string uri = HandoffUri("rpk_abc", "/x?a=1&b=%2F");
  EXPECT_EQ(uri, "/.rockpool/handoff?ticket=rpk_abc&next=/x%3Fa%3D1%26b%3D%252F");
  Handoff h = ParseHandoff(uri.substr(uri.find('?') + 1));
  EXPECT_EQ(h.ticket, "rpk_abc");
  EXPECT_EQ(h.next, "/x?a=1&b=%2F");
  for (const char* next : {"//evil.example/", "/\\evil.example", "https://evil.example/",
                           "javascript:alert(1)", "/a%0d%0aSet-Cookie:x", ""}) {
    EXPECT_EQ(ParseHandoff(std::string("ticket=t&next=") + next).next, "/") << next;
  }
  EXPECT_EQ(ParseHandoff("next=/a").ticket, "");
}

}  // namespace
}  // namespace rockpool::api
