// A table of an enum's values and their names, read both ways.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace rockpool {

template <typename E, size_t N>
using EnumNames = std::array<std::pair<E, std::string_view>, N>;

// The name of `value` in `table`; "unknown" when it has none.
template <typename E, size_t N>
std::string_view NameOf(const EnumNames<E, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> ParseName(const EnumNames<E, N>& table, std::string_view text) {
  for (const auto& [v, name] : table) {
    if (name == text) return v;
  }
  return std::nullopt;
}

}  // namespace rockpool
