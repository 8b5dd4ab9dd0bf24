#include "adapters/provincial/mapped_values.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "adapters/json_body.hpp"

namespace psd::provincial {
namespace {

/// Bytes of a raw value quoted in a message.
constexpr std::size_t kMaxValueExcerpt = 60;

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The base letter of a Vietnamese letter with diacritics, lower case; 0 when none.
char base_letter(char32_t c) {
  // Latin Extended Additional: Vietnamese vowels with tone marks, in pairs
  // (upper, lower) per letter: 12 a, 8 e, 2 i, 12 o, 7 u, 4 y.
  if (c >= 0x1EA0 && c <= 0x1EF9) {
    const unsigned pair = static_cast<unsigned>(c - 0x1EA0) / 2;
    if (pair < 12) return 'a';
    if (pair < 20) return 'e';
    if (pair < 22) return 'i';
    if (pair < 34) return 'o';
    if (pair < 41) return 'u';
    return 'y';
  }
  switch (c) {
    case 0xC0:
    case 0xC1:
    case 0xC2:
    case 0xC3:
    case 0xE0:
    case 0xE1:
    case 0xE2:
    case 0xE3:
    case 0x102:
    case 0x103:
      return 'a';
    case 0xC8:
    case 0xC9:
    case 0xCA:
    case 0xE8:
    case 0xE9:
    case 0xEA:
      return 'e';
    case 0xCC:
    case 0xCD:
    case 0xEC:
    case 0xED:
    case 0x128:
    case 0x129:
      return 'i';
    case 0xD2:
    case 0xD3:
    case 0xD4:
    case 0xD5:
    case 0xF2:
    case 0xF3:
    case 0xF4:
    case 0xF5:
    case 0x1A0:
    case 0x1A1:
      return 'o';
    case 0xD9:
    case 0xDA:
    case 0xF9:
    case 0xFA:
    case 0x168:
    case 0x169:
    case 0x1AF:
    case 0x1B0:
      return 'u';
    case 0xDD:
    case 0xFD:
      return 'y';
    case 0x110:
    case 0x111:
      return 'd';
    default:
      return 0;
  }
}

/// Decode one UTF-8 sequence at `text[i]`; advance `i`. Invalid bytes read as U+FFFD.
char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i++]);
  if (lead < 0x80) return lead;
  const std::size_t extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  if (extra == 0) return 0xFFFD;
  char32_t code = lead & (0x3F >> extra);
  for (std::size_t k = 0; k < extra; ++k) {
    if (i >= text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) return 0xFFFD;
    code = (code << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
  }
  return code;
}

std::string format_time(std::chrono::sys_seconds when, int millis, int offset_hours) {
  const auto local = when + std::chrono::hours(offset_hours);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{local - day};
  std::string text =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  time.hours().count(), time.minutes().count(), time.seconds().count());
  if (millis != 0) text += fmt::format(".{:03}", millis);
  text += offset_hours == 0 ? "Z" : fmt::format("{:+03}:00", offset_hours);
  return text;
}

std::optional<std::string> from_epoch_ms(const rapidjson::Value& value) {
  const auto ms = integer_value(value);
  // Years 1970 to 9999: what RFC 3339 can write and a catalogue can mean.
  constexpr std::int64_t kMaxMs = 253402300799999;
  if (!ms || *ms < 0 || *ms > kMaxMs) return std::nullopt;
  const std::chrono::sys_seconds when{std::chrono::seconds(*ms / 1000)};
  return format_time(when, static_cast<int>(*ms % 1000), 0);
}

std::optional<std::string> from_compact_local(const rapidjson::Value& value) {
  const auto text = value_text(value);
  if (!text || text->size() != 14 || !all_digits(*text)) return std::nullopt;
  const auto number = [&](std::size_t at, std::size_t n) { return std::stoi(text->substr(at, n)); };
  const std::chrono::year_month_day date{std::chrono::year(number(0, 4)),
                                         std::chrono::month(static_cast<unsigned>(number(4, 2))),
                                         std::chrono::day(static_cast<unsigned>(number(6, 2)))};
  const int hour = number(8, 2);
  const int minute = number(10, 2);
  const int second = number(12, 2);
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return fmt::format("{}-{}-{}T{}:{}:{}+07:00", text->substr(0, 4), text->substr(4, 2),
                     text->substr(6, 2), text->substr(8, 2), text->substr(10, 2),
                     text->substr(12, 2));
}

}  // namespace

std::optional<std::string> value_text(const rapidjson::Value& value) {
  if (value.IsString()) return trim({value.GetString(), value.GetStringLength()});
  if (value.IsBool()) return std::string(value.GetBool() ? "true" : "false");
  if (value.IsUint64()) return std::to_string(value.GetUint64());
  if (value.IsInt64()) return std::to_string(value.GetInt64());
  if (value.IsDouble()) {
    const double number = value.GetDouble();
    if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 1e15) {
      return std::to_string(static_cast<std::int64_t>(number));
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
  }
  return std::nullopt;
}

std::string describe_value(const rapidjson::Value& value) {
  if (value.IsString()) {
    return '"' + one_line_excerpt({value.GetString(), value.GetStringLength()}, kMaxValueExcerpt) +
           '"';
  }
  if (value.IsNull()) return "null";
  if (value.IsObject()) return "an object";
  if (value.IsArray()) return "an array";
  return value_text(value).value_or("?");
}

std::string fold_vietnamese(std::string_view text) {
  std::string out;
  bool blank = false;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = next_code_point(text, i);
    if (c >= 0x300 && c <= 0x36F) continue;  // combining marks (decomposed text)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0) {
      blank = !out.empty();
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else if (const char base = base_letter(c)) {
      out += base;
    } else {
      out += '?';
    }
  }
  return out;
}

std::optional<std::string> decree_level(std::string_view text) {
  const std::string folded = fold_vietnamese(text);
  if (folded == "toan trinh") return std::string("full");
  if (folded == "mot phan") return std::string("partial");
  return std::nullopt;
}

std::optional<std::int64_t> integer_value(const rapidjson::Value& value) {
  if (value.IsInt64()) return value.GetInt64();
  if (!value.IsString()) return std::nullopt;
  const std::string text = trim({value.GetString(), value.GetStringLength()});
  const bool negative = text.starts_with('-');
  const std::string_view digits = std::string_view(text).substr(negative ? 1 : 0);
  if (!all_digits(digits) || digits.size() > 18) return std::nullopt;  // fits an int64
  const std::int64_t magnitude = std::stoll(std::string(digits));
  return negative ? -magnitude : magnitude;
}

std::optional<std::string> timestamp_value(const rapidjson::Value& value,
                                           config::TimeFormat format) {
  switch (format) {
    case config::TimeFormat::rfc3339:
      if (!value.IsString()) return std::nullopt;
      return std::string(value.GetString(), value.GetStringLength());
    case config::TimeFormat::epoch_ms:
      return from_epoch_ms(value);
    case config::TimeFormat::yyyy_mm_dd_hh_mm_ss:
      return from_compact_local(value);
  }
  return std::nullopt;
}

std::string format_utc_seconds(std::chrono::system_clock::time_point when) {
  return format_time(std::chrono::floor<std::chrono::seconds>(when), 0, 0);
}

std::string_view format_name(config::TimeFormat format) {
  switch (format) {
    case config::TimeFormat::rfc3339:
      return "rfc3339";
    case config::TimeFormat::epoch_ms:
      return "epoch_ms";
    case config::TimeFormat::yyyy_mm_dd_hh_mm_ss:
      return "yyyyMMddHHmmss";
  }
  return "rfc3339";
}

}  // namespace psd::provincial
