#include "adapters/json_body.hpp"

#include <rapidjson/error/en.h>

#include <cstddef>
#include <optional>

namespace psd {
namespace {

/// The value of the four hex digits at `at`, or nothing.
std::optional<unsigned> hex4(std::string_view text, std::size_t at) {
  if (at + 4 > text.size()) return std::nullopt;
  unsigned value = 0;
  for (const char c : text.substr(at, 4)) {
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    value = value * 16 + digit;
  }
  return value;
}

/// The offset of a low-surrogate escape (\uDC00-\uDFFF) that follows no high
/// one in `json`, which has parsed: RapidJSON 1.1.0 refuses a lone high
/// surrogate but decodes a lone low one into bytes that are not UTF-8.
std::optional<std::size_t> lone_low_surrogate(std::string_view json) {
  // In valid JSON every backslash is in a string and starts an escape.
  for (std::size_t at = json.find('\\'); at != std::string_view::npos; at = json.find('\\', at)) {
    if (at + 1 >= json.size()) break;
    if (json[at + 1] != 'u') {
      at += 2;
      continue;
    }
    const unsigned unit = hex4(json, at + 2).value_or(0);
    if (unit >= 0xDC00 && unit <= 0xDFFF) return at;
    // A high surrogate parsed, so a low escape follows it: skip both.
    at += (unit >= 0xD800 && unit <= 0xDBFF) ? 12 : 6;
  }
  return std::nullopt;
}

std::string parse_error(rapidjson::ParseErrorCode code, std::size_t offset) {
  return std::string("not valid JSON: ") + rapidjson::GetParseError_En(code) + " at byte " +
         std::to_string(offset);
}

}  // namespace

tl::expected<void, std::string> parse_json_body(std::string_view body,
                                                rapidjson::Document& document) {
  // RapidJSON takes a NUL byte for the end of the text and ignores what
  // follows it; valid JSON has none, so "{...}\0<html>" is not a body.
  if (const auto nul = body.find('\0'); nul != std::string_view::npos) {
    document.SetNull();
    return tl::unexpected("not valid JSON: a NUL byte at byte " + std::to_string(nul));
  }
  document.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (document.HasParseError()) {
    return tl::unexpected(parse_error(document.GetParseError(), document.GetErrorOffset()));
  }
  if (const auto at = lone_low_surrogate(body)) {
    document.SetNull();
    return tl::unexpected(parse_error(rapidjson::kParseErrorStringUnicodeSurrogateInvalid, *at));
  }
  return {};
}

}  // namespace psd
