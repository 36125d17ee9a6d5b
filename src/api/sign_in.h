// Where a browser signs in. The sign-in page (/app/login) and the dashboard's static assets are
// the only pages served without a session. A browser's navigation that is refused as not signed
// in (the dashboard, a workspace's IDE or port) is sent to the sign-in page with the URL it
// wanted as `next`, on the dashboard's port of the same host; any other request gets the 401.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rockpool::api {

// `path` (without the query) is served to anyone: /app/login and /app/assets/<file>.
bool IsPublicDashboardPath(std::string_view path);

struct SignInRequest {
  std::string_view method;
  std::string_view uri;             // what the browser asked for: path and query
  std::string_view host;            // its Host (the proxy's X-Forwarded-Host)
  std::string_view proto;           // "https" or "http"
  std::string_view sec_fetch_mode;  // empty when absent
  std::string_view accept;
  int sign_in_port = 0;    // the dashboard's port; 0: the page that was asked for is on it
  bool on_origin = false;  // it reached a workspace's origin, where every path is a page
};

// The Location of the sign-in page for a refused navigation; nullopt when the request is no
// navigation to a dashboard or workspace page (or its Host is not a host name or address).
std::optional<std::string> SignInLocation(const SignInRequest& request);

// A Host header's value: a host name or IPv4 address, or a bracketed IPv6 address, with an
// optional port. Its name (without the port) and its port (empty when none).
bool IsHostHeader(std::string_view host);
std::string_view HostHeaderName(std::string_view host);
std::string_view HostHeaderPort(std::string_view host);

}  // namespace rockpool::api
