#include "adapters/json_body.hpp"

#include <rapidjson/error/en.h>

#include <cstdio>

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

}  // namespace

tl::expected<void, std::string> parse_json_body(std::string_view body,
                                                rapidjson::Document& document) {
  // Iterative: a recursive parser overflows the stack on deeply nested input.
  document.Parse<kStrictJsonFlags>(body.data(), body.size());
  if (!document.HasParseError()) return {};
  if (looks_like_html(body)) {
    return tl::unexpected("not valid JSON but an HTML page (" + std::to_string(body.size()) +
                          " bytes) starting \"" + one_line_excerpt(body, 60) + "\"");
  }
  return tl::unexpected(std::string("not valid JSON: ") +
                        rapidjson::GetParseError_En(document.GetParseError()) + " at byte " +
                        std::to_string(document.GetErrorOffset()));
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
