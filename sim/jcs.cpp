#include "sim/jcs.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace psd::sim {
namespace {

// JSON numbers are IEEE doubles for JCS; integers up to 2^53 print exactly.
constexpr std::uint64_t kMaxExactInteger = 9007199254740992ULL;

std::u16string to_utf16(std::string_view utf8) {
  std::u16string out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto b0 = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp = b0;
    std::size_t len = 1;
    if (b0 >= 0xF0) {
      len = 4;
      cp = b0 & 0x07U;
    } else if (b0 >= 0xE0) {
      len = 3;
      cp = b0 & 0x0FU;
    } else if (b0 >= 0xC0) {
      len = 2;
      cp = b0 & 0x1FU;
    }
    if (i + len > utf8.size()) {
      len = 1;  // truncated sequence: keep the byte as one unit
      cp = b0;
    } else {
      for (std::size_t k = 1; k < len; ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3FU);
      }
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
    i += len;
  }
  return out;
}

void append_integer(std::string& out, std::uint64_t magnitude, bool negative) {
  if (magnitude > kMaxExactInteger) {
    // Beyond 2^53 the value is what a double makes of it.
    const double d = static_cast<double>(magnitude);
    out += es_number(negative ? -d : d);
    return;
  }
  if (negative && magnitude != 0) {
    out.push_back('-');
  }
  out += std::to_string(magnitude);
}

void append_object(std::string& out, const rapidjson::Value& object, std::string_view skip,
                   bool use_skip) {
  std::vector<std::pair<std::u16string, const rapidjson::Value::Member*>> members;
  members.reserve(object.MemberCount());
  for (const auto& m : object.GetObject()) {
    const std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (use_skip && name == skip) {
      continue;
    }
    members.emplace_back(to_utf16(name), &m);
  }
  std::stable_sort(members.begin(), members.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  out.push_back('{');
  bool first = true;
  for (const auto& [key, member] : members) {
    if (!first) {
      out.push_back(',');
    }
    first = false;
    append_jcs_string(out,
                      std::string_view(member->name.GetString(), member->name.GetStringLength()));
    out.push_back(':');
    append_canonical(out, member->value);
  }
  out.push_back('}');
}

}  // namespace

void append_jcs_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0x0F]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

std::string es_number(double value) {
  if (!std::isfinite(value)) {
    throw std::invalid_argument("JCS cannot represent NaN or Infinity");
  }
  if (value == 0) {
    return "0";  // -0 prints as 0 too
  }
  std::string out;
  if (value < 0) {
    out.push_back('-');
    value = -value;
  }
  // Shortest round-trip digits, as ECMAScript requires.
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  const auto e_pos = sci.find('e');
  std::string digits;
  for (const char c : sci.substr(0, e_pos)) {
    if (c != '.') {
      digits.push_back(c);
    }
  }
  const int exponent = std::stoi(std::string(sci.substr(e_pos + 1)));
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // value = digits * 10^(n - k)
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out.push_back('.');
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out += digits.substr(1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

void append_canonical(std::string& out, const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      out += "null";
      break;
    case rapidjson::kFalseType:
      out += "false";
      break;
    case rapidjson::kTrueType:
      out += "true";
      break;
    case rapidjson::kStringType:
      append_jcs_string(out, std::string_view(value.GetString(), value.GetStringLength()));
      break;
    case rapidjson::kNumberType:
      if (value.IsUint64()) {
        append_integer(out, value.GetUint64(), false);
      } else if (value.IsInt64()) {
        const std::int64_t v = value.GetInt64();
        append_integer(out, static_cast<std::uint64_t>(-(v + 1)) + 1, true);
      } else {
        out += es_number(value.GetDouble());
      }
      break;
    case rapidjson::kArrayType: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : value.GetArray()) {
        if (!first) {
          out.push_back(',');
        }
        first = false;
        append_canonical(out, item);
      }
      out.push_back(']');
      break;
    }
    case rapidjson::kObjectType:
      append_object(out, value, {}, false);
      break;
  }
}

std::string canonicalize(const rapidjson::Value& value) {
  std::string out;
  append_canonical(out, value);
  return out;
}

std::string canonicalize_without(const rapidjson::Value& object, std::string_view skip) {
  std::string out;
  append_object(out, object, skip, true);
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(std::size_t{len} * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0F]);
  }
  return hex;
}

std::string content_hash_of(std::string_view canonical) {
  return "sha256:" + sha256_hex(canonical);
}

}  // namespace psd::sim
