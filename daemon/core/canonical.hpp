#pragma once
// RFC 8785 canonical JSON of a PUT body and its content hash (contract section 3).

#include <string>
#include <string_view>

#include "daemon/core/service.hpp"

namespace psd::core {

/// Append `text` to `out` as a JCS string literal: raw UTF-8, only `"`, `\` and
/// characters below U+0020 escaped, `\u00xx` in lowercase hex.
void append_json_string(std::string& out, std::string_view text);

/// Return the canonical JSON of the PUT body of `service`, without `content_hash`.
std::string canonical_body(const Service& service);

/// Return "sha256:" + lowercase hex SHA-256 of `canonical`.
std::string hash_canonical(std::string_view canonical);

/// Return the content hash of `service`.
std::string content_hash(const Service& service);

/// Return the PUT body: the canonical body with `content_hash` added.
std::string put_body(std::string_view canonical, std::string_view hash);

}  // namespace psd::core
