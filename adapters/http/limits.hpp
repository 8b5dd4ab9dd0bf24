#pragma once
// Every fixed number the HTTP transport uses, in one place.

#include <chrono>
#include <cstddef>

namespace psd::http::detail {

/// Idle seconds before the first TCP keepalive probe, and seconds between probes:
/// enough to notice a silently dropped connection before it is reused.
inline constexpr long kKeepAliveIdleSeconds = 60;
inline constexpr long kKeepAliveIntervalSeconds = 30;

/// Idle connections kept for reuse when the in-flight cap is smaller than this.
inline constexpr std::size_t kMinConnectionCache = 8;

/// Longest wait for socket activity in one loop turn; libcurl wakes earlier for its own timers.
inline constexpr std::chrono::milliseconds kPollTimeout{1000};

/// Only these schemes may be fetched, whatever a URL from a portal says.
inline constexpr const char* kAllowedProtocols = "http,https";

}  // namespace psd::http::detail
