#pragma once
// Strict check of a PUT body against the national contract: shape, types,
// enums, ranges and the content hash.

#include <string>
#include <string_view>
#include <variant>

namespace psd::sim {

struct ValidatedPut {
  std::string code;
  std::string level;
  std::string content_hash;   // as sent (already checked to be well-formed)
  std::string canonical;      // JCS of the body without content_hash
  std::string expected_hash;  // content_hash_of(canonical)
};

struct PutError {
  int status = 400;
  std::string code;  // INVALID_JSON, INVALID_FIELD
  std::string message;
  std::string field;  // dotted path; empty when not about one field
};

/// Parse and check `body`. Does not compare the hash (the caller decides the
/// order of checks) but computes the expected one.
std::variant<ValidatedPut, PutError> validate_put(std::string_view body);

/// Number of Unicode code points of valid UTF-8 `text`.
std::size_t code_points(std::string_view text);

}  // namespace psd::sim
