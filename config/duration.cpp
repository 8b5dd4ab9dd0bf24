#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "config/checks.hpp"
#include "config/config.hpp"

namespace psd::config {
namespace {

tl::unexpected<core::Failure> reject(std::string_view text, const std::string& why) {
  return core::failure(core::FailureKind::invalid,
                       detail::quote(text) + " is not a valid duration: " + why);
}

// Milliseconds per unit, 0 for an unknown unit.
std::int64_t unit_ms(std::string_view unit) {
  if (unit == "ms") {
    return 1;
  }
  if (unit == "s") {
    return 1000;
  }
  if (unit == "m") {
    return 60'000;
  }
  if (unit == "h") {
    return 3'600'000;
  }
  return 0;
}

}  // namespace

tl::expected<Duration, core::Failure> parse_duration(std::string_view text) {
  if (text.empty()) {
    return core::failure(core::FailureKind::invalid, "a duration must not be empty (e.g. 30s)");
  }
  if (text.front() == '-') {
    return reject(text, "it must not be negative");
  }
  const auto digits = static_cast<std::size_t>(
      std::find_if_not(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) -
      text.begin());
  if (digits == 0) {
    return reject(text, "it must start with a whole number (e.g. 30s)");
  }
  const auto unit = text.substr(digits);
  if (unit.empty()) {
    return reject(text, "it has no unit (use ms, s, m or h)");
  }
  if (unit.front() == '.' || unit.front() == ',') {
    return reject(text, "use a whole number with a smaller unit (1500ms, not 1.5s)");
  }
  const std::int64_t scale = unit_ms(unit);
  if (scale == 0) {
    return reject(text, "unknown unit " + detail::quote(unit) + " (use ms, s, m or h)");
  }

  constexpr auto kMax = std::numeric_limits<Duration::rep>::max();
  std::int64_t value = 0;
  for (const char c : text.substr(0, digits)) {
    if (value > (kMax - (c - '0')) / 10) {
      return reject(text, "it is too long");
    }
    value = value * 10 + (c - '0');
  }
  if (value == 0) {
    return reject(text, "it must be greater than zero");
  }
  if (value > kMax / scale) {
    return reject(text, "it is too long");
  }
  return Duration(value * scale);
}

}  // namespace psd::config
