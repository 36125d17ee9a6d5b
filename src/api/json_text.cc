#include "api/json_text.h"

#include <charconv>
#include <cstdint>

#include "api/json_codec.h"

namespace rockpool::api {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not one (overlong
// forms, surrogates and code points above U+10FFFF included).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const auto continuation = [&](size_t k) { return k < text.size() && (byte(k) & 0xC0) == 0x80; };
  const uint8_t lead = byte(i);
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(i + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(i + 1) || !continuation(i + 2)) return 0;
    const uint8_t second = byte(i + 1);
    if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
    if (lead == 0xED && second > 0x9F) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(i + 1) || !continuation(i + 2) || !continuation(i + 3)) return 0;
    const uint8_t second = byte(i + 1);
    if (lead == 0xF0 && second < 0x90) return 0;  // overlong
    if (lead == 0xF4 && second > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

void AppendField(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":";
  AppendJsonString(out, value);
}

void AppendNullableField(std::string& out, std::string_view key,
                         const std::optional<std::string>& value) {
  if (value) return AppendField(out, key, *value);
  out += '"';
  out += key;
  out += "\":null";
}

void AppendNumber(std::string& out, std::string_view key, double value) {
  char buf[32];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);  // shortest
  out += '"';
  out += key;
  out += "\":";
  out.append(buf, ec == std::errc() ? end : buf);
}

void AppendNumber(std::string& out, std::string_view key, int64_t value) {
  out += '"';
  out += key;
  out += "\":";
  out += std::to_string(value);
}

void AppendLimits(std::string& out, const WorkspaceLimits& limits) {
  out += "\"limits\":{";
  AppendNumber(out, "cpus", limits.cpus);
  out += ',';
  AppendNumber(out, "memoryMib", limits.memory_mib);
  out += ',';
  AppendNumber(out, "processes", limits.processes);
  out += ',';
  AppendNumber(out, "diskGib", limits.disk_gib);
  out += '}';
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t plain_from = 0;  // start of the run of bytes copied as they are
  const auto flush = [&](size_t upto) { out.append(text.substr(plain_from, upto - plain_from)); };
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<uint8_t>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (size_t n = Utf8SequenceLength(text, i); n > 0) {
        i += n;
        continue;
      }
    }
    flush(i);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += kReplacement;
        }
    }
    plain_from = ++i;
  }
  flush(text.size());
  out += '"';
}

void AppendWorkspaceJson(std::string& out, const Workspace& ws) {
  out += '{';
  AppendField(out, "id", ws.id);
  out += ',';
  AppendField(out, "name", ws.name);
  out += ',';
  AppendField(out, "status", StatusName(ws.status));
  out += ',';
  AppendField(out, "image", ws.image);
  out += ',';
  AppendNullableField(out, "statusReason", ws.status_reason);
  out += ',';
  AppendField(out, "createdAt", ws.created_at);
  out += ',';
  AppendField(out, "updatedAt", ws.updated_at);
  out += ',';
  AppendLimits(out, ws.limits);
  // Rare and nested: the codec writes it.
  out += ",\"repository\":";
  out +=
      ws.source
          ? SourceToJson(*ws.source).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
          : "null";
  out += ",\"idleTimeoutSeconds\":" + std::to_string(ws.idle_timeout_seconds) + ',';
  AppendNullableField(out, "lastActivityAt", ws.last_activity_at);
  out += ',';
  AppendNullableField(out, "idleStopAt", ws.idle_stop_at);
  out += ',';
  AppendNullableField(out, "location",
                      ws.location.empty() ? std::nullopt : std::optional(ws.location));
  out += ',';
  AppendNullableField(out, "owner", ws.owner.empty() ? std::nullopt : std::optional(ws.owner));
  out += '}';
}

std::string WorkspaceJsonText(const Workspace& ws) {
  std::string out;
  out.reserve(320);
  AppendWorkspaceJson(out, ws);
  return out;
}

std::string WorkspacePageJsonText(const WorkspacePage& page) {
  std::string out;
  out.reserve(64 + 310 * page.items.size());
  out += "{\"items\":[";
  for (size_t i = 0; i < page.items.size(); ++i) {
    if (i > 0) out += ',';
    AppendWorkspaceJson(out, page.items[i]);
  }
  out += "],";
  AppendNullableField(out, "nextCursor", page.next_cursor);
  out += '}';
  return out;
}

}  // namespace rockpool::api
