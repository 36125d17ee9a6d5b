#include "auth/session_cookie.h"

namespace rockpool::auth {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Attributes(bool secure) {
  return std::string("; Path=/; HttpOnly; SameSite=Lax") + (secure ? "; Secure" : "");
}

}  // namespace

std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    const size_t end = cookie_header.find(';');
    const std::string_view pair = Trim(cookie_header.substr(0, end));
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == name) {
      std::string_view value = Trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
    if (end == std::string_view::npos) break;
    cookie_header.remove_prefix(end + 1);
  }
  return std::nullopt;
}

std::optional<std::string> SessionCookieValue(std::string_view cookie_header) {
  return CookieValue(cookie_header, kSessionCookie);
}

std::string SessionSetCookie(std::string_view secret, std::chrono::seconds max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + std::string(secret) +
         "; Max-Age=" + std::to_string(max_age.count()) + Attributes(secure);
}

std::string ClearedSessionCookie(bool secure) {
  return std::string(kSessionCookie) + "=; Max-Age=0" + Attributes(secure);
}

std::string OriginCookieName(int port) { return "rockpool_origin_" + std::to_string(port); }

std::string OriginSetCookie(int port, std::string_view secret, std::chrono::seconds max_age,
                            bool secure) {
  return OriginCookieName(port) + "=" + std::string(secret) +
         "; Max-Age=" + std::to_string(max_age.count()) + Attributes(secure);
}

}  // namespace rockpool::auth
