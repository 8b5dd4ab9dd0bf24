#pragma once
// A response body parsed as JSON, strictly: invalid UTF-8 fails the body.
// And a short, one-line excerpt of untrusted text for an error message.

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "daemon/core/failure.hpp"

namespace psd {

/// How every server body is parsed: invalid UTF-8 is an error, and the parser
/// is iterative, so that deeply nested input cannot overflow the stack.
inline constexpr unsigned kStrictJsonFlags =
    rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag;

/// Longest excerpt of a server's text that an error message quotes.
inline constexpr std::size_t kMaxExcerptBytes = 120;

/// Parse `body` into `document`; on failure return a bad_response saying
/// "not valid JSON: <why> at byte N" ("not valid JSON but an HTML page" when it
/// looks like one: a gateway's error page answered with 200).
tl::expected<void, core::Failure> parse_json_body(std::string_view body,
                                                  rapidjson::Document& document);

/// Return `text` fit for one line of a log or status file: control
/// characters escaped, cut at `max_bytes` on a UTF-8 boundary with the full
/// length noted, so that a huge or hostile value cannot flood a message.
std::string one_line_excerpt(std::string_view text, std::size_t max_bytes = kMaxExcerptBytes);

}  // namespace psd
