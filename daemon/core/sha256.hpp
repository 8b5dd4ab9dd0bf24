#pragma once
// SHA-256 through OpenSSL with a context reused per thread.

#include <array>
#include <initializer_list>
#include <string_view>

namespace psd::core {

/// Return the SHA-256 digest of `data`. Each thread keeps one OpenSSL
/// context and the algorithm fetched once: EVP_Digest fetches and allocates
/// on every call, which for a catalogue record's 300 bytes cost more than the
/// hashing itself. Throw std::runtime_error if OpenSSL fails.
std::array<unsigned char, 32> sha256(std::string_view data);
/// Return the SHA-256 digest of `parts` one after the other, as if joined.
std::array<unsigned char, 32> sha256(std::initializer_list<std::string_view> parts);

}  // namespace psd::core
