#pragma once
// A response body parsed as JSON, strictly: invalid UTF-8 fails the body.
// And a short, one-line excerpt of untrusted text for an error message.

#include <rapidjson/document.h>
#include <rapidjson/reader.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "daemon/core/failure.hpp"

namespace psd {

/// How every server body is parsed: invalid UTF-8 is an error, and the parser
/// is iterative, so that deeply nested input cannot overflow the stack.
inline constexpr unsigned kStrictJsonFlags =
    rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag;

/// The same parse for a body already found to be UTF-8 (is_utf8): RapidJSON
/// 1.1.0 validates a string byte by byte through a call each, which was a
/// third of the parse; a body that is not UTF-8 is parsed with
/// kStrictJsonFlags, so that its error and offset are RapidJSON's own.
inline constexpr unsigned kUtf8CheckedFlags = rapidjson::kParseIterativeFlag;

/// True when `text` is well-formed UTF-8 (RFC 3629: no overlong form, no
/// surrogate, nothing above U+10FFFF), as strict as RapidJSON's validation.
bool is_utf8(std::string_view text);

/// Longest excerpt of a server's text that an error message quotes.
inline constexpr std::size_t kMaxExcerptBytes = 120;

/// Parse `body` into `document`; on failure return a bad_response saying
/// "not valid JSON: <why> at byte N" ("not valid JSON but an HTML page" when it
/// looks like one: a gateway's error page answered with 200).
tl::expected<void, core::Failure> parse_json_body(std::string_view body,
                                                  rapidjson::Document& document);

/// parse_json_body, reading `buffer` (a terminated_copy of `body`) in place:
/// the document's strings point into `buffer`, which must outlive it, rather
/// than being copied one by one.
tl::expected<void, core::Failure> parse_json_body_in_place(std::string_view body, char* buffer,
                                                           rapidjson::Document& document);

/// Return a copy of `body` with a NUL after it, for the in-place parsers.
std::unique_ptr<char[]> terminated_copy(std::string_view body);

/// The failure of a body with a NUL byte, which RapidJSON would take for its end.
tl::expected<void, core::Failure> refuse_nul(std::string_view body);
/// The outcome of parsing `body`: RapidJSON's error with its offset, an HTML
/// page named as such, or a lone low surrogate escape (which RapidJSON 1.1.0 lets through).
tl::expected<void, core::Failure> parse_outcome(std::string_view body,
                                                const rapidjson::ParseResult& result);

/// Parse `body` with the SAX `handler`, as strictly as parse_json_body and
/// with its messages, reading a NUL-terminated copy of it (`buffer`) whose
/// strings are decoded in place: the views the handler is given point into
/// `buffer`. Iterative too, so nesting costs the handler a counter, not stack.
template <typename Handler>
tl::expected<void, core::Failure> parse_json_in_place(std::string_view body, char* buffer,
                                                      Handler& handler) {
  if (auto refused = refuse_nul(body); !refused) return refused;
  rapidjson::Reader reader;
  rapidjson::InsituStringStream stream(buffer);
  return parse_outcome(
      body, is_utf8(body)
                ? reader.Parse<kUtf8CheckedFlags | rapidjson::kParseInsituFlag>(stream, handler)
                : reader.Parse<kStrictJsonFlags | rapidjson::kParseInsituFlag>(stream, handler));
}

/// Return `text` fit for one line of a log or status file: control
/// characters escaped, cut at `max_bytes` on a UTF-8 boundary with the full
/// length noted, so that a huge or hostile value cannot flood a message.
std::string one_line_excerpt(std::string_view text, std::size_t max_bytes = kMaxExcerptBytes);

}  // namespace psd
