#pragma once
// Reading one raw value of a foreign catalogue record as the contract's
// value: text of numbers, integers given as strings, the decree's level
// words and the timestamp formats of a mapping file.

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/mapping.hpp"

namespace psd::provincial {

/// Return a string value trimmed, or a number or boolean as its decimal
/// text ("4" for 4); nothing for null, arrays and objects.
std::optional<std::string> value_text(const rapidjson::Value& value);

/// Return `value` as the operator would see it in a message: a string quoted
/// (cut, on one line), a number as written, or "an object", "an array", "null".
std::string describe_value(const rapidjson::Value& value);

/// Return the level the decree's words name: "toàn trình" → "full",
/// "một phần" → "partial", in any case, with or without diacritics.
std::optional<std::string> decree_level(std::string_view text);

/// Return `text` lower case, Vietnamese diacritics removed, blanks collapsed.
std::string fold_vietnamese(std::string_view text);

/// Return an integer given as a JSON integer or a string of digits
/// ("15000"), with an optional leading minus; nothing for anything else.
std::optional<std::int64_t> integer_value(const rapidjson::Value& value);

/// Return the RFC 3339 timestamp `value` stands for in `format`, or nothing
/// when it is not of that format.
std::optional<std::string> timestamp_value(const rapidjson::Value& value,
                                           config::TimeFormat format);

/// Return `when` as RFC 3339 UTC to the second ("2025-07-01T01:30:00Z").
std::string format_utc_seconds(std::chrono::system_clock::time_point when);

/// Return the name of `format` as a mapping file spells it.
std::string_view format_name(config::TimeFormat format);

}  // namespace psd::provincial
