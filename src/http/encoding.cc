#include "http/encoding.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace rockpool {

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    const size_t n = std::min<size_t>(3, in.size() - i);
    unsigned v = 0;
    for (size_t k = 0; k < 3; ++k) {
      v = v << 8 | (k < n ? static_cast<unsigned char>(in[i + k]) : 0u);
    }
    for (size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

std::string UrlEncode(std::string_view in, bool keep_slashes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slashes && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Headers BasicAuthHeader(std::string_view user, std::string_view password) {
  std::string pair(user);
  pair += ':';
  pair += password;
  return {{"Authorization", "Basic " + Base64(pair)}};
}

Headers BasicAuthFromEnvironment() {
  const char* user = std::getenv("ROCKPOOL_USERNAME");
  const char* password = std::getenv("ROCKPOOL_PASSWORD");
  if (user == nullptr || password == nullptr) return {};
  return BasicAuthHeader(user, password);
}

}  // namespace rockpool
