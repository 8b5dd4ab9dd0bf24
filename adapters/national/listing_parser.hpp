#pragma once
// The national portal's listing of a province's services: one page from its
// JSON body, and the walk over the pages of one listing.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <unordered_set>
#include <vector>

#include "daemon/core/failure.hpp"
#include "daemon/core/plan.hpp"

namespace psd::national {

/// A listing longer than this many pages is a server fault (a cursor loop
/// with ever new cursors): 10 million services at the 1,000 per page asked.
inline constexpr int kMaxListingPages = 10'000;
/// A longer next_cursor is refused: it goes into the next URL.
inline constexpr std::size_t kMaxCursorBytes = 2048;

/// One service of a listing page: views into the page's text.
struct ListingItem {
  std::string_view code;
  std::string_view content_hash;
  core::Level level = core::Level::full;
};

/// One page of a listing. Move-only: its items point into `text`.
struct ListingPage {
  std::unique_ptr<char[]> text;  ///< the body, its strings decoded in place
  std::vector<ListingItem> items;
  std::optional<std::string> next_cursor;  ///< nothing at the end
};

/// Parse `body` as a listing page, straight into its items (RapidJSON's SAX
/// reader, no document), or return a bad_response whose one-line message
/// says why it is not one.
tl::expected<ListingPage, core::Failure> parse_listing_page(std::string_view body);

/// The pages of one listing, in order. Refuses what would make the listing
/// wrong or endless: a page that is not one, a cursor that repeats, a code
/// listed twice (a page served again), more than kMaxListingPages pages.
class ListingWalk {
 public:
  /// Add `page` as the next page. Return the cursor to follow (nothing at the
  /// end), or a bad_response whose one-line message starts with "page N: ".
  tl::expected<std::optional<std::string>, core::Failure> add(ListingPage page);

  /// Pages added so far.
  int pages() const { return pages_; }
  /// The listing, once add() returned no cursor.
  core::Mirror take() { return std::move(mirror_); }

 private:
  core::Mirror mirror_;
  std::unordered_set<std::string> cursors_;
  int pages_ = 0;
};

}  // namespace psd::national
