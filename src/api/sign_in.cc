#include "api/sign_in.h"

#include <cctype>

#include "http/encoding.h"

namespace rockpool::api {
namespace {

bool IsNavigation(const SignInRequest& r) {
  if (r.method != "GET" && r.method != "HEAD") return false;
  if (!r.sec_fetch_mode.empty()) return r.sec_fetch_mode == "navigate";
  return r.accept.find("text/html") != std::string_view::npos;
}

}  // namespace

// A host name or IPv4 address, or a bracketed IPv6 address, with an optional port.
bool IsHostHeader(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  size_t end = host.size();
  if (host.front() == '[') {
    end = host.find(']');
    if (end == std::string_view::npos) return false;
    for (char c : host.substr(1, end - 1)) {
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) return false;
    }
    ++end;
  } else {
    end = host.find(':');
    if (end == 0) return false;
    if (end == std::string_view::npos) end = host.size();
    for (char c : host.substr(0, end)) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) return false;
    }
  }
  std::string_view port = host.substr(end);
  if (port.empty()) return true;
  if (port.front() != ':' || port.size() < 2 || port.size() > 6) return false;
  for (char c : port.substr(1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string_view HostHeaderName(std::string_view host) {
  if (host.front() == '[') return host.substr(0, host.find(']') + 1);
  return host.substr(0, host.find(':'));
}

std::string_view HostHeaderPort(std::string_view host) {
  const size_t bracket = host.find(']');
  const size_t colon = host.find(':', bracket == std::string_view::npos ? 0 : bracket);
  return colon == std::string_view::npos ? std::string_view() : host.substr(colon + 1);
}

bool IsPublicDashboardPath(std::string_view path) {
  if (path == "/app/login") return true;
  constexpr std::string_view kAssets = "/app/assets/";
  if (!path.starts_with(kAssets) || path.size() == kAssets.size()) return false;
  for (char c : path.substr(kAssets.size())) {
    const bool plain =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
    if (!plain) return false;  // one file name, no encoding
  }
  return path.find("..") == std::string_view::npos;
}

std::optional<std::string> SignInLocation(const SignInRequest& r) {
  if (!IsNavigation(r)) return std::nullopt;
  const std::string_view path = r.uri.substr(0, r.uri.find('?'));
  const bool page =
      r.on_origin || path == "/app" || path.starts_with("/app/") || path.starts_with("/workspace/");
  if (!page || !r.uri.starts_with('/') || r.uri.starts_with("//")) return std::nullopt;
  const std::string on_dashboard_port = "/app/login?next=" + UrlEncode(r.uri, true);
  if (r.sign_in_port == 0) return on_dashboard_port;
  if (!IsHostHeader(r.host)) return std::nullopt;
  const std::string proto = r.proto == "https" ? "https" : "http";
  if (HostHeaderPort(r.host) == std::to_string(r.sign_in_port)) return on_dashboard_port;
  const std::string wanted = proto + "://" + std::string(r.host) + std::string(r.uri);
  return proto + "://" + std::string(HostHeaderName(r.host)) + ":" +
         std::to_string(r.sign_in_port) + "/app/login?next=" + UrlEncode(wanted, true);
}

}  // namespace rockpool::api
