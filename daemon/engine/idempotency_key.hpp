#pragma once

#include <string>
#include <string_view>

namespace psd::engine {

/// Return a new Idempotency-Key for a write of `code` in `province`:
/// printable ASCII, at most 255 characters, 128 random bits.
std::string new_idempotency_key(std::string_view province, std::string_view code);

}  // namespace psd::engine
