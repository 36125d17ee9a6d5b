// The opaque page cursor of workspace listings: base64url (no padding) of the last item's
// sort key, "<created_at>\n<id>".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rockpool {

struct CursorKey {
  std::string created_at;
  std::string id;
};

std::string EncodeCursor(const CursorKey& key);
std::optional<CursorKey> DecodeCursor(std::string_view cursor);

std::string Base64UrlEncode(std::string_view data);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace rockpool
