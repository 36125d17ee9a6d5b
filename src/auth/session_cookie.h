// The browser session's cookie: `rockpool_session=<secret>` (api_token.h's "rps_" secrets),
// HttpOnly so no page script reads it, SameSite=Lax so another site's subrequests and forms do
// not carry it, Secure under HTTPS, Path=/ and no Domain so it stays with this host. The proxy
// strips every `rockpool*` cookie before a request reaches a workspace.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rockpool::auth {

inline constexpr std::string_view kSessionCookie = "rockpool_session";

// The value of cookie `name` in a Cookie header (RFC 6265 `name=value; name=value`); nullopt
// when it is absent. The first one counts when there are several.
std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name);
std::optional<std::string> SessionCookieValue(std::string_view cookie_header);
// Set-Cookie values that store `secret` for `max_age`, and that remove the cookie.
std::string SessionSetCookie(std::string_view secret, std::chrono::seconds max_age, bool secure);
std::string ClearedSessionCookie(bool secure);

// Port mode: the cookie of the workspace origin on `port`, `rockpool_origin_<port>`, with the
// session cookie's attributes. Cookies ignore ports, so every origin of the host receives it;
// its name and the store tie it to its own origin, which alone accepts it.
std::string OriginCookieName(int port);
std::string OriginSetCookie(int port, std::string_view secret, std::chrono::seconds max_age,
                            bool secure);

}  // namespace rockpool::auth
