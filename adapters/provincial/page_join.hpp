#pragma once
// The pages of one catalogue listing joined into one snapshot as they arrive.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/provincial/page_parser.hpp"
#include "daemon/core/service.hpp"

namespace psd::provincial {

/// A page served in place of another: its number and that of the page it repeats.
struct RepeatedPage {
  std::int64_t page = 0;
  std::int64_t original = 0;
};

/// Joins pages 1, 2, 3 ... into one snapshot in page order while they arrive
/// out of order (several are read at once): only a page that comes before
/// one missing waits, so the catalogue is never held twice (whole pages and
/// the snapshot they are moved into). Keeps each page's codes, to tell a page
/// served twice.
class PageJoin {
 public:
  /// `expected_items`: total_items of page 1 (room is made for that many).
  explicit PageJoin(std::int64_t expected_items);

  /// Take page `number`.
  void add(std::int64_t number, CataloguePage page);
  /// The first page (in page order) holding the same records as an earlier one.
  std::optional<RepeatedPage> repeated() const;
  /// Join what still waits; return the snapshot (its records in page order).
  core::Snapshot finish();

  /// Records (valid and invalid) joined so far.
  std::int64_t items() const { return items_; }
  /// Records moved by each remap row, summed over the joined pages.
  const std::vector<std::uint64_t>& remapped() const { return remapped_; }

 private:
  void join(CataloguePage& page);

  core::Snapshot snapshot_;
  std::map<std::int64_t, CataloguePage> waiting_;
  std::int64_t next_ = 1;
  std::map<std::int64_t, std::string> fingerprints_;  ///< of pages with valid records
  std::int64_t items_ = 0;
  std::vector<std::uint64_t> remapped_;
};

}  // namespace psd::provincial
