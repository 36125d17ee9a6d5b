#include "core/duration.h"

#include <cctype>

namespace rockpool {
namespace {

Status Invalid(std::string_view text, std::string_view what) {
  return Status::InvalidArgument(std::string(what) + " \"" + std::string(text.substr(0, 32)) +
                                 "\" is not a duration; write seconds (1800) or a number with a " +
                                 "unit h, m or s (45m, 1h30m, 90s); 0 means never");
}

int64_t UnitSeconds(char unit) {
  switch (unit) {
    case 'h':
      return 3600;
    case 'm':
      return 60;
    case 's':
      return 1;
    default:
      return 0;
  }
}

}  // namespace

Result<int64_t> ParseDurationSeconds(std::string_view text, std::string_view what,
                                     int64_t max_seconds) {
  if (text.empty() || text.size() > 32) return Invalid(text, what);
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return Invalid(text, what);
    int64_t number = 0;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      number = number * 10 + (text[i] - '0');
      if (number > max_seconds) break;
    }
    int64_t unit = 1;
    if (i < text.size()) {
      unit = UnitSeconds(text[i]);
      if (unit == 0) return Invalid(text, what);
      ++i;
    } else if (total != 0) {
      return Invalid(text, what);  // "1h30": the last number needs its unit too
    }
    if (number > max_seconds / unit || total + number * unit > max_seconds) {
      return Status::InvalidArgument(
          std::string(what) + " \"" + std::string(text) + "\" is too long; at most " +
          FormatDurationSeconds(max_seconds, false) + " (" + std::to_string(max_seconds) + " s)");
    }
    total += number * unit;
  }
  return total;
}

std::string FormatDurationSeconds(int64_t seconds, bool zero_is_never) {
  if (seconds == 0 && zero_is_never) return "never";
  if (seconds == 0) return "0 s";
  std::string out;
  auto part = [&](int64_t n, const char* unit) {
    if (n == 0) return;
    if (!out.empty()) out += " ";
    out += std::to_string(n) + " " + unit;
  };
  part(seconds / 3600, "h");
  part(seconds % 3600 / 60, "min");
  part(seconds % 60, "s");
  return out;
}

}  // namespace rockpool
