#pragma once
// The national portal's listing for the province, kept compact: at 100,000
// services a map of strings held ~22 MB; this holds the same in ~12 MB (the
// text in large blocks, 24 bytes a service, a 4-byte slot index).

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/core/service.hpp"

namespace psd::core {

/// What the national portal holds for one service of the province.
struct MirrorEntry {
  std::string content_hash;
  Level level = Level::full;
  bool operator==(const MirrorEntry&) const = default;
};

/// One service of a Mirror. The views stay valid while the Mirror lives
/// (its text is never moved; a replaced or removed entry's text stays).
struct HeldService {
  std::string_view code;
  std::string_view content_hash;
  Level level = Level::full;
};

/// The national portal's listing for the province: code → what it holds.
/// Iterates in the order the services were added (a removal moves the last
/// one into the gap).
class Mirror {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  Mirror() = default;
  Mirror(std::initializer_list<std::pair<std::string_view, MirrorEntry>> entries);
  Mirror(const Mirror& other);
  Mirror& operator=(const Mirror& other);
  Mirror(Mirror&&) noexcept = default;
  Mirror& operator=(Mirror&&) noexcept = default;
  ~Mirror() = default;

  /// Add a service; return false, changing nothing, when its code is held already.
  bool add(std::string_view code, std::string_view content_hash, Level level);
  /// Add a service, or replace what the portal holds for it.
  void put(std::string_view code, std::string_view content_hash, Level level);
  /// Remove a service; return false when it is not held.
  bool erase(std::string_view code);

  /// Return the position of `code` (0 to size() - 1), or npos.
  std::size_t index_of(std::string_view code) const;
  std::optional<HeldService> find(std::string_view code) const;
  bool contains(std::string_view code) const { return index_of(code) != npos; }
  /// Return the service of `code`; throw std::out_of_range when it is not held.
  HeldService at(std::string_view code) const;
  /// Return the service at `index` (< size()).
  HeldService operator[](std::size_t index) const;

  std::size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  /// Make room for `services` more services (their text grows as it comes).
  void reserve(std::size_t services);

  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = HeldService;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = HeldService;

    Iterator() = default;
    Iterator(const Mirror* mirror, std::size_t index) : mirror_(mirror), index_(index) {}
    HeldService operator*() const { return (*mirror_)[index_]; }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++index_;
      return before;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    const Mirror* mirror_ = nullptr;
    std::size_t index_ = 0;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, records_.size()}; }

 private:
  /// A service: its code and content hash are adjacent in one text block.
  struct Record {
    const char* text = nullptr;
    std::uint32_t code_size = 0;
    std::uint32_t hash_size = 0;
    Level level = Level::full;
  };

  /// Copy `code` + `hash` into a text block; return where.
  const char* store(std::string_view code, std::string_view hash);
  std::size_t slot_of(std::string_view code) const;  ///< the code's slot, or the empty one to use
  std::size_t home(std::string_view code) const;
  /// Size the index for `services` (at most half full), placing every record again.
  void index_for(std::size_t services);
  void append(std::string_view code, std::string_view hash, Level level);
  static std::string_view code_of(const Record& record) { return {record.text, record.code_size}; }

  std::vector<Record> records_;
  /// Open addressing, linear probing: record index + 1, 0 when empty; a
  /// power of two in size, at most half full.
  std::vector<std::uint32_t> slots_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_left_ = 0;
  char* block_next_ = nullptr;
};

}  // namespace psd::core
