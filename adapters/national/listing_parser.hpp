#pragma once
// One page of the national portal's listing of a province's services.

#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

#include "daemon/core/plan.hpp"

namespace psd::national {

struct ListingPage {
  std::vector<std::pair<std::string, core::MirrorEntry>> items;  ///< code → what it holds
  std::optional<std::string> next_cursor;                        ///< nothing at the end
};

/// Parse `body` as a listing page; return a one-line reason when it is not one.
tl::expected<ListingPage, std::string> parse_listing_page(std::string_view body);

}  // namespace psd::national
