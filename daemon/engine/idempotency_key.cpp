#include "daemon/engine/idempotency_key.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace psd::engine {

std::string new_idempotency_key(std::string_view province, std::string_view code) {
  std::array<unsigned char, 16> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed: no idempotency key can be made");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  // The code is at most 64 characters of [A-Za-z0-9._-]: the key stays < 120.
  std::string key = "psd-";
  key += province;
  key += '-';
  key += code;
  key += '-';
  for (const unsigned char byte : random) {
    key += kHex[byte >> 4];
    key += kHex[byte & 0xF];
  }
  return key;
}

}  // namespace psd::engine
