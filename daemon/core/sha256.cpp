#include "daemon/core/sha256.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace psd::core {
namespace {

struct Hasher {
  std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md{EVP_MD_fetch(nullptr, "SHA256", nullptr),
                                                     &EVP_MD_free};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context{EVP_MD_CTX_new(),
                                                                  &EVP_MD_CTX_free};
};

}  // namespace

std::array<unsigned char, 32> sha256(std::string_view data) { return sha256({data}); }

std::array<unsigned char, 32> sha256(std::initializer_list<std::string_view> parts) {
  thread_local const Hasher hasher;
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  bool ok = hasher.md && hasher.context &&
            EVP_DigestInit_ex2(hasher.context.get(), hasher.md.get(), nullptr) == 1;
  for (const std::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(hasher.context.get(), part.data(), part.size()) == 1;
  }
  if (!ok || EVP_DigestFinal_ex(hasher.context.get(), digest.data(), &length) != 1 ||
      length != digest.size()) {
    throw std::runtime_error("SHA-256 failed in OpenSSL");
  }
  return digest;
}

}  // namespace psd::core
