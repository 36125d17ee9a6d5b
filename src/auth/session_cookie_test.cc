#include "auth/session_cookie.h"

#include <gtest/gtest.h>

namespace rockpool::auth {
namespace {

TEST(SessionCookieTest, FindsTheSessionAmongOtherCookies) {
  EXPECT_EQ(SessionCookieValue("rockpool_session=rps_abc"), "rps_abc");
  EXPECT_EQ(SessionCookieValue("a=1; rockpool_session=rps_abc; b=2"), "rps_abc");
  EXPECT_EQ(SessionCookieValue("a=1;rockpool_session=\"rps_abc\""), "rps_abc");
  EXPECT_EQ(SessionCookieValue("rockpool_session=first; rockpool_session=second"), "first");
  EXPECT_EQ(SessionCookieValue("rockpool_session="), "");
}

TEST(SessionCookieTest, OtherNamesAreNotTheSession) {
  EXPECT_EQ(SessionCookieValue(""), std::nullopt);
  EXPECT_EQ(SessionCookieValue("x_rockpool_session=rps_abc"), std::nullopt);
  EXPECT_EQ(SessionCookieValue("rockpool_session_x=rps_abc"), std::nullopt);
  EXPECT_EQ(SessionCookieValue("rockpool_sessionrps_abc"), std::nullopt);
}

TEST(SessionCookieTest, TheCookieIsHttpOnlyLaxAndSecureOnlyUnderHttps) {
  EXPECT_EQ(SessionSetCookie("rps_abc", std::chrono::hours(1), false),
            "rockpool_session=rps_abc; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(SessionSetCookie("rps_abc", std::chrono::seconds(5), true),
            "rockpool_session=rps_abc; Max-Age=5; Path=/; HttpOnly; SameSite=Lax; Secure");
  EXPECT_EQ(ClearedSessionCookie(false),
            "rockpool_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
}

TEST(SessionCookieTest, AnOriginsCookieIsNamedForItsPort) {
  EXPECT_EQ(OriginSetCookie(20001, "rpo_abc", std::chrono::hours(1), false),
            "rockpool_origin_20001=rpo_abc; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax");
  const std::string both = "rockpool_origin_20002=rpo_b; rockpool_origin_20001=rpo_a";
  EXPECT_EQ(CookieValue(both, OriginCookieName(20001)), "rpo_a");
  EXPECT_EQ(CookieValue(both, OriginCookieName(2000)), std::nullopt);
}

}  // namespace
}  // namespace rockpool::auth
