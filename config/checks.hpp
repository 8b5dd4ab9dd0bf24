#pragma once
// Checks of single values that are not TOML types: URLs, the province code,
// duration spelling. Each returns what is wrong, or nothing.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace psd::config::detail {

/// Return what is wrong with `url` as a portal URL, or nothing. A base URL
/// gets paths appended, so `base` also forbids a query and a fragment.
/// The message never repeats a URL that holds a password.
std::optional<std::string> url_problem(std::string_view url, bool base);

/// Return true when `url` uses plain http:// rather than https://.
bool is_plain_http(std::string_view url);

/// Return true when `code` matches ^[A-Za-z0-9]{1,16}$.
bool is_province_code(std::string_view code);

/// Return true when `text` is digits followed by a known unit, so that a
/// rejected duration is out of range (zero, too long) rather than misspelt.
bool has_duration_shape(std::string_view text);

/// Return `duration` in the largest unit that spells it exactly ("90s").
std::string format_duration(std::chrono::milliseconds duration);

/// Return `text` in double quotes, with quotes and control characters
/// escaped and cut to `max_chars`, for showing a bad value to the operator.
std::string quote(std::string_view text, std::size_t max_chars = 80);

}  // namespace psd::config::detail
