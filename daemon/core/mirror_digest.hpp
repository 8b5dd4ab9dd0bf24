#pragma once
// A digest of what a plan and coverage read from the national listing.

#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/core/plan.hpp"

namespace psd::core {

/// The entries of a listing as plan and coverage read them (code → content
/// hash), order-independent: the count and the sum, modulo 2^128, of the
/// first 16 bytes of each entry's SHA-256. Entries are added and removed one
/// at a time, so the listing after a cycle's writes is known without listing.
class MirrorDigest {
 public:
  /// Return the digest of every entry of `mirror`.
  static MirrorDigest of(const Mirror& mirror);

  void add(std::string_view code, std::string_view content_hash);
  void remove(std::string_view code, std::string_view content_hash);
  /// Return "count:hex", the form state.db keeps.
  std::string text() const;

 private:
  __extension__ using Sum = unsigned __int128;
  static Sum entry(std::string_view code, std::string_view content_hash);
  Sum sum_ = 0;
  std::uint64_t count_ = 0;
};

}  // namespace psd::core
