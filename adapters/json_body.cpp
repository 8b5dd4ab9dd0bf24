#include "adapters/json_body.hpp"

#include <rapidjson/error/en.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>

namespace psd {
namespace {

/// True when `body` starts (after white space) with '<': markup, not JSON.
bool looks_like_html(std::string_view body) {
  const std::size_t first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && body[first] == '<';
}

/// Return how many bytes of `text` fit in `max_bytes` without splitting a code point.
std::size_t utf8_cut(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

/// Return the length of the well-formed UTF-8 sequence `text` starts with
/// (2 to 4 bytes), or 0 when it does not start with one.
std::size_t sequence_length(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  std::size_t length = 0;
  char32_t code_point = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[i]);
    if ((next & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  const bool overlong = code_point < kSmallest[length];
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  return overlong || surrogate || code_point > 0x10FFFF ? 0 : length;
}

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

tl::unexpected<core::Failure> not_json(std::string why) {
  return core::failure(core::FailureKind::bad_response, std::move(why));
}

std::string parse_error(rapidjson::ParseErrorCode code, std::size_t offset) {
  return std::string("not valid JSON: ") + rapidjson::GetParseError_En(code) + " at byte " +
         std::to_string(offset);
}

}  // namespace

bool is_utf8(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    // Eight ASCII bytes at a time: most of a body is ASCII.
    while (at + 8 <= text.size()) {
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + at, sizeof word);
      if ((word & 0x8080808080808080ULL) != 0) break;
      at += 8;
    }
    if (at >= text.size()) break;
    if (static_cast<unsigned char>(text[at]) < 0x80) {
      ++at;
      continue;
    }
    const std::size_t length = sequence_length(text.substr(at));
    if (length == 0) return false;
    at += length;
  }
  return true;
}

tl::expected<void, core::Failure> refuse_nul(std::string_view body) {
  // RapidJSON takes a NUL byte for the end of the text and ignores what
  // follows it; valid JSON has none, so "{...}\0<html>" is not a body.
  if (const auto nul = body.find('\0'); nul != std::string_view::npos) {
    return not_json("not valid JSON: a NUL byte at byte " + std::to_string(nul));
  }
  return {};
}

tl::expected<void, core::Failure> parse_outcome(std::string_view body,
                                                const rapidjson::ParseResult& result) {
  if (result.IsError()) {
    if (looks_like_html(body)) {
      return not_json("not valid JSON but an HTML page (" + std::to_string(body.size()) +
                      " bytes) starting \"" + one_line_excerpt(body, 60) + "\"");
    }
    return not_json(parse_error(result.Code(), result.Offset()));
  }
  if (const auto at = lone_low_surrogate(body)) {
    return not_json(parse_error(rapidjson::kParseErrorStringUnicodeSurrogateInvalid, *at));
  }
  return {};
}

tl::expected<void, core::Failure> parse_json_body(std::string_view body,
                                                  rapidjson::Document& document) {
  if (auto refused = refuse_nul(body); !refused) {
    document.SetNull();
    return refused;
  }
  // Iterative: a recursive parser overflows the stack on deeply nested input.
  if (is_utf8(body)) {
    document.Parse<kUtf8CheckedFlags>(body.data(), body.size());
  } else {
    document.Parse<kStrictJsonFlags>(body.data(), body.size());
  }
  auto outcome = parse_outcome(
      body, rapidjson::ParseResult(document.GetParseError(), document.GetErrorOffset()));
  if (!outcome && !document.HasParseError()) document.SetNull();
  return outcome;
}

tl::expected<void, core::Failure> parse_json_body_in_place(std::string_view body, char* buffer,
                                                           rapidjson::Document& document) {
  if (auto refused = refuse_nul(body); !refused) {
    document.SetNull();
    return refused;
  }
  if (is_utf8(body)) {
    document.ParseInsitu<kUtf8CheckedFlags>(buffer);
  } else {
    document.ParseInsitu<kStrictJsonFlags>(buffer);
  }
  auto outcome = parse_outcome(
      body, rapidjson::ParseResult(document.GetParseError(), document.GetErrorOffset()));
  if (!outcome && !document.HasParseError()) document.SetNull();
  return outcome;
}

std::unique_ptr<char[]> terminated_copy(std::string_view body) {
  auto copy = std::make_unique_for_overwrite<char[]>(body.size() + 1);
  if (!body.empty()) std::memcpy(copy.get(), body.data(), body.size());
  copy[body.size()] = '\0';
  return copy;
}

std::string one_line_excerpt(std::string_view text, std::size_t max_bytes) {
  const std::string_view kept = text.substr(0, utf8_cut(text, max_bytes));
  std::string out;
  out.reserve(kept.size() + 32);
  for (std::size_t i = 0; i < kept.size();) {
    const auto byte = static_cast<unsigned char>(kept[i]);
    if (byte >= 0x80) {
      // Copy a well-formed UTF-8 sequence; escape a stray byte, so that the
      // message stays valid UTF-8 for the JSON status file.
      const std::size_t length = sequence_length(kept.substr(i));
      if (length > 0) {
        out.append(kept.substr(i, length));
        i += length;
        continue;
      }
    }
    if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte >= 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", byte);
      out += escaped;
    } else {
      out += static_cast<char>(byte);
    }
    ++i;
  }
  if (kept.size() < text.size()) out += "… (" + std::to_string(text.size()) + " bytes)";
  return out;
}

}  // namespace psd
