#pragma once
// RFC 3339 timestamps without locale or time-zone database dependencies.

#include <chrono>
#include <cstdint>
#include <string>

namespace psd::sim {

/// Format seconds since the Unix epoch as RFC 3339 in a fixed offset
/// ("2024-10-28T09:15:00+07:00"; offset 0 gives "...Z").
std::string format_rfc3339(std::int64_t unix_seconds, int offset_minutes);

/// Now, in UTC ("...Z").
std::string now_rfc3339_utc();

/// Days since the Unix epoch of a proleptic Gregorian date.
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

}  // namespace psd::sim
