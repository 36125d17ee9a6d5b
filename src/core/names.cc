#include "core/names.h"

#include <string>

namespace rockpool {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += '?';
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

Status ValidateWorkspaceName(std::string_view name) {
  constexpr std::string_view kRule =
      "use 3-63 characters: lowercase letters, digits and hyphens, starting and ending with a "
      "letter or digit (e.g. \"my-project\")";
  auto invalid = [&](std::string_view why) {
    return Status::InvalidArgument("invalid workspace name " + Quoted(name) + ": " +
                                   std::string(why) + "; " + std::string(kRule));
  };
  if (name.size() < 3) return invalid("too short");
  if (name.size() > 63) return invalid("too long (" + std::to_string(name.size()) + " characters)");
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') return invalid("uppercase letters are not allowed");
    if (!IsLowerAlnum(c) && c != '-') {
      return invalid(std::string("character '") + (c >= 0x20 && c < 0x7f ? c : '?') +
                     "' is not allowed");
    }
  }
  if (name.front() == '-' || name.back() == '-') {
    return invalid("it must not start or end with a hyphen");
  }
  if (LooksLikeUuid(name)) return invalid("it has the shape of a workspace id");
  return Status::Ok();
}

bool LooksLikeUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (c == '-')) return false;
    if (!dash && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status ValidatePort(long port) {
  if (port < kMinPort || port > kMaxPort) {
    return Status::InvalidArgument("invalid port " + std::to_string(port) + ": use a port from " +
                                   std::to_string(kMinPort) + " to " + std::to_string(kMaxPort));
  }
  return Status::Ok();
}

}  // namespace rockpool
