#include "auth/basic_header.h"

#include <cstdint>

namespace rockpool::auth {
namespace {

int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view in) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = Sextet(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::optional<std::string_view> AuthorizationCredentials(std::string_view value,
                                                         std::string_view scheme) {
  while (!value.empty() && IsSpace(value.front())) value.remove_prefix(1);
  while (!value.empty() && IsSpace(value.back())) value.remove_suffix(1);
  if (value.size() <= scheme.size() || !IsSpace(value[scheme.size()])) return std::nullopt;
  for (size_t i = 0; i < scheme.size(); ++i) {
    if ((value[i] | 0x20) != scheme[i]) return std::nullopt;  // the scheme is case-insensitive
  }
  value.remove_prefix(scheme.size());
  while (!value.empty() && IsSpace(value.front())) value.remove_prefix(1);
  return value;
}

std::optional<BasicCredentials> ParseBasicAuthorization(std::string_view value) {
  auto credentials = AuthorizationCredentials(value, "basic");
  if (!credentials) return std::nullopt;
  auto decoded = DecodeBase64(*credentials);
  if (!decoded) return std::nullopt;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

}  // namespace rockpool::auth
