#pragma once
// One response body of a foreign catalogue, read through a mapping file's
// [envelope]: unwrap, status check, items, total; each item mapped.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "adapters/provincial/mapped_record.hpp"
#include "daemon/core/failure.hpp"

namespace psd::provincial {

struct MappedPage {
  std::optional<std::int64_t> total;  ///< when [envelope].total is set
  std::size_t items = 0;              ///< records on the page, of every kind
  std::vector<core::CatalogueEntry> services;
  std::vector<core::InvalidRecord> invalid;
  std::uint64_t information_only = 0;
  std::vector<std::string> codes;       ///< every readable code, in page order
  std::vector<std::uint64_t> remapped;  ///< records moved, one count per remap row
};

/// Parse `body` as page `page_number` (1-based, for reports) through
/// `mapper`. Return a failure with a one-line message when the body is not
/// JSON (kind transient: a gateway's HTML page may pass, worth another try),
/// or (kind bad_response: the mapping's or the server's answer, which fails
/// the listing) when `unwrap` is not a string of JSON, `ok` is not in
/// `ok_values` (with `message`), `items` is not an array or `total` not a
/// non-negative integer; a bad record only makes that record invalid.
tl::expected<MappedPage, core::Failure> parse_mapped_page(std::string_view body,
                                                          const RecordMapper& mapper,
                                                          int page_number,
                                                          const std::string& listing_started_at);

}  // namespace psd::provincial
