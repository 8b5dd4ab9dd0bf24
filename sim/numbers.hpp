#pragma once
// Numbers read from options, query parameters and profile fields: the whole
// text must be the number, so "10x" or "" is an error, never 10 or 0.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

namespace psd::sim {

/// Parse all of `text` as a `Number` (decimal, optional leading '-');
/// nullopt when empty, malformed, out of range or followed by anything.
template <typename Number>
std::optional<Number> parse_number(std::string_view text) {
  Number value{};
  const char* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, value);
  if (text.empty() || result.ec != std::errc() || result.ptr != end) {
    return std::nullopt;
  }
  return value;
}

/// Parse a whole decimal integer; nullopt otherwise.
inline std::optional<std::int64_t> parse_int(std::string_view text) {
  return parse_number<std::int64_t>(text);
}

}  // namespace psd::sim
