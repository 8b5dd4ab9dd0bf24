#include "daemon/core/canonical.hpp"

#include "daemon/core/sha256.hpp"

namespace psd::core {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void append_key(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

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
  append_key(out, "admin_level");
  append_json_string(out, to_string(service.admin_level));
  out += ',';
  append_key(out, "agency");
  out += '{';
  append_key(out, "code");
  append_json_string(out, service.agency.code);
  out += ',';
  append_key(out, "name");
  append_json_string(out, service.agency.name);
  out += "},";
  append_key(out, "code");
  append_json_string(out, service.code);
  out += ',';
  append_key(out, "fee_vnd");
  out += std::to_string(service.fee_vnd);
  out += ',';
  append_key(out, "field");
  append_json_string(out, service.field);
  out += ',';
  append_key(out, "level");
  append_json_string(out, to_string(service.level));
  out += ',';
  append_key(out, "name");
  append_json_string(out, service.name);
  out += ',';
  append_key(out, "processing_days");
  out += std::to_string(service.processing_days);
  out += '}';
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
