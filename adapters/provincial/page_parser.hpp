#pragma once
// One page of the provincial catalogue, from its JSON body to records.

#include <cstdint>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "adapters/provincial/agency_remap.hpp"
#include "daemon/core/failure.hpp"
#include "daemon/core/service.hpp"

namespace psd::provincial {

struct CataloguePage {
  std::int64_t page = 0;
  std::int64_t page_size = 0;
  std::int64_t total_items = 0;
  std::int64_t total_pages = 0;
  std::vector<core::CatalogueEntry> services;  ///< valid records, hashed
  std::vector<core::InvalidRecord> invalid;
  std::vector<std::uint64_t> remapped;  ///< records moved, one count per remap row
};

/// Parse `body` as catalogue page `page_number`: validate every record and
/// hash the valid ones. Return a one-line reason when the body is not valid
/// JSON (invalid UTF-8 included) or not of the page's shape; a bad record
/// only makes that record invalid. Each record's agency goes through
/// `remap`, when given, before it is validated and hashed.
tl::expected<CataloguePage, core::Failure> parse_catalogue_page(std::string_view body,
                                                                std::int64_t page_number,
                                                                const AgencyRemap* remap = nullptr);

}  // namespace psd::provincial
