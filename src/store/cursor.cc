#include "store/cursor.h"

#include "store/clock.h"

namespace rockpool {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int DecodeChar(char c) {
  const auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

std::string Base64UrlEncode(std::string_view data) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : data) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 0x3f];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 0x3f];
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = DecodeChar(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

std::string EncodeCursor(const CursorKey& key) {
  return Base64UrlEncode(key.created_at + "\n" + key.id);
}

std::optional<CursorKey> DecodeCursor(std::string_view cursor) {
  if (cursor.empty() || cursor.size() > 256) return std::nullopt;
  auto raw = Base64UrlDecode(cursor);
  if (!raw) return std::nullopt;
  const auto nl = raw->find('\n');
  if (nl == std::string::npos) return std::nullopt;
  CursorKey key{raw->substr(0, nl), raw->substr(nl + 1)};
  if (!ParseTime(key.created_at) || key.id.empty()) return std::nullopt;
  return key;
}

}  // namespace rockpool
