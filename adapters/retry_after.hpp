#pragma once
// The Retry-After header (RFC 9110 10.2.3): delay-seconds or an HTTP-date.

#include <chrono>
#include <optional>
#include <string_view>

namespace psd {

/// The longest Retry-After honoured as given; longer ones are clamped, so a
/// gateway's typo cannot silence the daemon for days.
inline constexpr std::chrono::seconds kMaxRetryAfter{3600};

/// Return how long `value` asks to wait, seen at `now`: seconds as given, or
/// until the HTTP-date (0 when it is past), clamped to kMaxRetryAfter.
/// Nothing when absent or unreadable.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

}  // namespace psd
