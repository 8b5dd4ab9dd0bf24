#include "daemon/core/mirror_digest.hpp"

#include <fmt/format.h>

#include "daemon/core/sha256.hpp"

namespace psd::core {

MirrorDigest::Sum MirrorDigest::entry(std::string_view code, std::string_view content_hash) {
  // A NUL between the two: no code may end where another's hash begins.
  const auto digest = sha256({code, std::string_view{"\0", 1}, content_hash});
  Sum value = 0;
  for (std::size_t i = 0; i < 16; ++i) value = (value << 8) | digest[i];
  return value;
}

MirrorDigest MirrorDigest::of(const Mirror& mirror) {
  MirrorDigest digest;
  for (const HeldService held : mirror) digest.add(held.code, held.content_hash);
  return digest;
}

void MirrorDigest::add(std::string_view code, std::string_view content_hash) {
  sum_ += entry(code, content_hash);
  ++count_;
}

void MirrorDigest::remove(std::string_view code, std::string_view content_hash) {
  sum_ -= entry(code, content_hash);
  --count_;
}

std::string MirrorDigest::text() const {
  return fmt::format("{}:{:016x}{:016x}", count_, static_cast<std::uint64_t>(sum_ >> 64),
                     static_cast<std::uint64_t>(sum_));
}

}  // namespace psd::core
