#pragma once
// UTC timestamps as RFC 3339 strings, the form every time in state.db takes.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace psd::state {

/// Format `when` as RFC 3339 UTC with milliseconds ("2024-10-28T02:15:00.250Z").
/// The width is fixed, so the strings sort in time order.
std::string format_utc(std::chrono::system_clock::time_point when);

/// Return the current time formatted by format_utc.
std::string now_utc();

/// Parse a time formatted by format_utc; nothing when `text` is not one.
std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text);

}  // namespace psd::state
