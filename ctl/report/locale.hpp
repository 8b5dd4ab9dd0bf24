#pragma once
// The report's two languages: number separators and the words of headings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace psd::ctl::report {

enum class Lang { en, vi };

/// Return the language named by the locale variables (LC_ALL, LC_MESSAGES,
/// LANG, in that order of precedence): vi for "vi" or "vi_VN...", else en.
Lang lang_from_environment();
/// Return the Lang for "en" or "vi", or nothing.
std::optional<Lang> parse_lang(std::string_view text);
std::string_view to_string(Lang lang);

/// Return `value` with thousands separators: "1,126" (en), "1.126" (vi).
std::string format_count(std::uint64_t value, Lang lang);
/// Return a percentage (already rounded to 2 decimals by core::rounded_percent)
/// with at most 2 decimals and no trailing zeros: "87.48", "100" (en);
/// "87,48" (vi).
std::string format_percent(double percent, Lang lang);
/// Return the percentage in the stable machine form of CSV and JSON: "87.48", "100".
std::string plain_percent(double percent);

/// Return an RFC 3339 UTC time from state.db for people, to the minute:
/// "2024-10-28 02:15 UTC" (en), "02:15 UTC ngày 28/10/2024" (vi); any other
/// text as it is.
std::string format_time(std::string_view utc, Lang lang);

/// Return the heading or word for `key` ("agency_name", "level.full", ...)
/// in `lang`; the key itself when it has none.
std::string_view label(std::string_view key, Lang lang);

}  // namespace psd::ctl::report
