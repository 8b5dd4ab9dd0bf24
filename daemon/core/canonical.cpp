#include "daemon/core/canonical.hpp"

#include <cstdint>
#include <string>

#include "daemon/core/sha256.hpp"

namespace psd::core {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void append_key(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

// Members are appended with a trailing comma; close_object turns the last
// one into the closing brace.
void append_string_member(std::string& out, std::string_view key, std::string_view value) {
  append_key(out, key);
  append_json_string(out, value);  // declared in canonical.hpp
  out += ',';
}

void append_number_member(std::string& out, std::string_view key, std::uint64_t value) {
  append_key(out, key);
  out += std::to_string(value);
  out += ',';
}

void close_object(std::string& out) { out.back() = '}'; }

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  // Runs of bytes that need no escape are copied whole: most text is one run.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
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
        // JCS (RFC 8785 section 3.2.2.2) wants lowercase hex here.
        out += "\\u00";
        out += kHexDigits[byte >> 4];
        out += kHexDigits[byte & 0xF];
    }
  }
  out.append(text.substr(run));
  out += '"';
}

std::string canonical_body(const Service& service) {
  // Keys in JCS order (UTF-16 code unit order; all keys here are ASCII).
  std::string out;
  out.reserve(256 + service.name.size() + service.field.size() + service.agency.name.size());
  out += '{';
  append_string_member(out, "admin_level", to_string(service.admin_level));
  append_key(out, "agency");
  out += '{';
  append_string_member(out, "code", service.agency.code);
  append_string_member(out, "name", service.agency.name);
  close_object(out);
  out += ',';
  append_string_member(out, "code", service.code);
  append_number_member(out, "fee_vnd", service.fee_vnd);
  append_string_member(out, "field", service.field);
  append_string_member(out, "level", to_string(service.level));
  append_string_member(out, "name", service.name);
  append_number_member(out, "processing_days", service.processing_days);
  close_object(out);
  return out;
}

std::string hash_canonical(std::string_view canonical) {
  const auto digest = sha256(canonical);
  std::string out = "sha256:";
  out.reserve(7 + 2 * digest.size());
  for (const unsigned char byte : digest) {
    out += kHexDigits[byte >> 4];
    out += kHexDigits[byte & 0xF];
  }
  return out;
}

std::string content_hash(const Service& service) { return hash_canonical(canonical_body(service)); }

std::string put_body(std::string_view canonical, std::string_view hash) {
  // The canonical body ends with '}'; the portal ignores key order.
  std::string out(canonical.substr(0, canonical.size() - 1));
  out += ",\"content_hash\":";
  append_json_string(out, hash);
  out += '}';
  return out;
}

}  // namespace psd::core
