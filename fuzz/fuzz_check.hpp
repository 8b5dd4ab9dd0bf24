#pragma once
// Invariant checks shared by the fuzz targets. A broken invariant aborts, so
// libFuzzer saves the input as a crash, the same as a sanitizer finding.

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

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

}  // namespace psd::fuzz
