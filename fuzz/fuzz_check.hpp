#pragma once
// Invariant checks shared by the fuzz targets. A broken invariant aborts, so
// libFuzzer saves the input as a crash, the same as a sanitizer finding.

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "daemon/core/service.hpp"

namespace psd::fuzz {

/// Abort with `what` unless `condition` holds.
inline void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

/// True when `text` is well-formed UTF-8: no overlong forms, no surrogates,
/// nothing above U+10FFFF (RapidJSON's strict validator, one code point at a time).
inline bool is_valid_utf8(std::string_view text) {
  struct Discard {
    void Put(char /*c*/) {}
  } sink;
  rapidjson::MemoryStream stream(text.data(), text.size());
  while (stream.Tell() < text.size()) {
    if (!rapidjson::UTF8<char>::Validate(stream, sink)) return false;
  }
  return true;
}

/// True when `text` is one line: an error message for a log line.
inline bool is_one_line(std::string_view text) {
  return !text.empty() && text.find('\n') == std::string_view::npos;
}

inline bool is_code(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (const char c : code) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

inline bool is_sha256(std::string_view hash) {
  constexpr std::string_view kPrefix = "sha256:";
  if (!hash.starts_with(kPrefix) || hash.size() != kPrefix.size() + 64) return false;
  for (const char c : hash.substr(kPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

/// Abort unless `entry` is a valid service as the contract defines one.
inline void check_service(const psd::core::CatalogueEntry& entry) {
  const auto& service = entry.service;
  require(is_code(service.code), "a valid service has a well-formed code");
  require(!service.name.empty() && is_valid_utf8(service.name), "service name is UTF-8");
  require(!service.agency.code.empty() && is_valid_utf8(service.agency.code),
          "agency code is UTF-8");
  require(!service.agency.name.empty() && is_valid_utf8(service.agency.name),
          "agency name is UTF-8");
  require(is_valid_utf8(service.field), "service field is UTF-8");
  require(is_valid_utf8(service.updated_at), "updated_at is UTF-8");
  require(service.processing_days <= 3650, "processing_days within the contract");
  require(is_sha256(entry.content_hash), "content hash is sha256:<64 hex>");
}

}  // namespace psd::fuzz
