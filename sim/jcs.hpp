#pragma once
// RFC 8785 JSON Canonicalization Scheme over any rapidjson value, and the
// contract's content hash. Written independently of the daemon's encoder so
// that the two implementations check each other.

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace psd::sim {

/// Append the JCS form of `value`: object members sorted by the UTF-16 code
/// units of their names (recursively), no white space, numbers as ECMAScript
/// prints them, strings raw UTF-8 with only `"`, `\` and < U+0020 escaped.
void append_canonical(std::string& out, const rapidjson::Value& value);

/// Return the JCS form of `value`.
std::string canonicalize(const rapidjson::Value& value);

/// Return the JCS form of `object` leaving out its member `skip`
/// (the PUT body without `content_hash`).
std::string canonicalize_without(const rapidjson::Value& object, std::string_view skip);

/// Append `text` as a JCS string literal.
void append_jcs_string(std::string& out, std::string_view text);

/// Format a double as ECMAScript Number.prototype.toString does (RFC 8785 3.2.2.3).
std::string es_number(double value);

/// Return the lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

/// Return "sha256:" + lowercase hex SHA-256 of `canonical`.
std::string content_hash_of(std::string_view canonical);

}  // namespace psd::sim
