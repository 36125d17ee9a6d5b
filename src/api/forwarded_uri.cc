#include "api/forwarded_uri.h"

#include <algorithm>
#include <cctype>

#include "api/request_validation.h"

namespace rockpool::api {
namespace {

constexpr std::string_view kPrefix = "/workspace/";

bool IsNameChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A "." or ".." segment, or an encoded '.' or '/', anywhere in `path`.
bool Ambiguous(std::string_view path) {
  const std::string lower = Lower(path);
  if (lower.find("%2e") != std::string::npos || lower.find("%2f") != std::string::npos ||
      lower.find("%5c") != std::string::npos || lower.find('\\') != std::string::npos) {
    return true;
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

Result<std::optional<std::string>> ForwardedWorkspace(std::string_view uri) {
  const std::string_view raw = uri.substr(0, uri.find_first_of("?#"));
  std::string path;
  if (Ambiguous(raw) || !PercentDecode(raw, false, &path) || path.find('\0') != std::string::npos ||
      Ambiguous(path)) {
    return Status::InvalidArgument("the path " + std::string(raw.substr(0, 200)) +
                                   " has a dot segment, an encoded '.', '/' or '\\', or bad "
                                   "percent-encoding; ask for it without them");
  }
  // Doubled slashes merged, as the proxy's matchers do.
  std::string clean;
  for (char c : path) {
    if (c != '/' || clean.empty() || clean.back() != '/') clean += c;
  }
  if (!clean.starts_with(kPrefix)) return std::optional<std::string>();
  const std::string_view rest = std::string_view(clean).substr(kPrefix.size());
  const size_t n = std::find_if_not(rest.begin(), rest.end(), IsNameChar) - rest.begin();
  if (n == 0 || (n < rest.size() && rest[n] != '/')) return std::optional<std::string>();
  return std::optional<std::string>(std::string(rest.substr(0, n)));
}

}  // namespace rockpool::api
