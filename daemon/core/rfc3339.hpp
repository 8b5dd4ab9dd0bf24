#pragma once

#include <string_view>

namespace psd::core {

/// Return whether `text` is an RFC 3339 date-time with a time offset
/// ("2024-10-28T09:15:00+07:00", "2024-10-28T02:15:00.5Z").
bool is_rfc3339_timestamp(std::string_view text);

}  // namespace psd::core
