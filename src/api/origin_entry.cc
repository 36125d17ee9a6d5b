#include "api/origin_entry.h"

#include <charconv>

#include "api/request_validation.h"
#include "api/sign_in.h"
#include "http/encoding.h"

namespace rockpool::api {
namespace {

constexpr std::string_view kPrefix = "/workspace/";

bool IsNameChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

// Takes the leading run of characters that `ok` accepts off `s`.
std::string_view TakeWhile(std::string_view& s, bool (*ok)(char)) {
  size_t n = 0;
  while (n < s.size() && ok(s[n])) ++n;
  std::string_view head = s.substr(0, n);
  s.remove_prefix(n);
  return head;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A path of this origin only: not "//host", not "/\host", no control characters.
bool IsOwnPath(std::string_view value) {
  if (!value.starts_with('/') || value.starts_with("//") || value.starts_with("/\\")) return false;
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::optional<EntryTarget> ParseEntry(std::string_view uri) {
  if (!uri.starts_with(kPrefix)) return std::nullopt;
  std::string_view s = uri.substr(kPrefix.size());
  EntryTarget t;
  t.name = std::string(TakeWhile(s, IsNameChar));
  if (t.name.empty()) return std::nullopt;
  if (s.starts_with("/port/")) {
    s.remove_prefix(6);
    const std::string_view digits = TakeWhile(s, IsDigit);
    if (digits.empty() || digits.size() > 5) return std::nullopt;
    std::from_chars(digits.data(), digits.data() + digits.size(), t.forwarded_port);
    if (t.forwarded_port == 0) return std::nullopt;
  }
  if (!s.empty() && s.front() != '/' && s.front() != '?') return std::nullopt;
  t.rest = s.empty() || s.front() == '?' ? "/" + std::string(s) : std::string(s);
  return t;
}

std::optional<std::string> OriginUrl(std::string_view proto, std::string_view host, int port,
                                     std::string_view rest) {
  if (!IsHostHeader(host)) return std::nullopt;
  return std::string(proto == "https" ? "https" : "http") + "://" +
         std::string(HostHeaderName(host)) + ":" + std::to_string(port) + std::string(rest);
}

int HostPort(std::string_view host) {
  if (!IsHostHeader(host)) return 0;
  const std::string_view digits = HostHeaderPort(host);
  int port = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), port);
  return port;
}

std::string HandoffUri(std::string_view ticket, std::string_view next) {
  return std::string(kHandoffPath) + "?ticket=" + UrlEncode(ticket) +
         "&next=" + UrlEncode(next, true);
}

Handoff ParseHandoff(std::string_view query) {
  Handoff h;
  while (!query.empty()) {
    const size_t end = query.find('&');
    const std::string_view pair = query.substr(0, end);
    const size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq == std::string_view::npos ? 0 : eq);
    std::string value;
    const bool decoded =
        eq != std::string_view::npos && PercentDecode(pair.substr(eq + 1), true, &value);
    if (decoded && name == "ticket") {
      h.ticket = std::move(value);
    } else if (decoded && name == "next" && IsOwnPath(value)) {
      h.next = std::move(value);
    }
    if (end == std::string_view::npos) break;
    query.remove_prefix(end + 1);
  }
  return h;
}

}  // namespace rockpool::api
