#pragma once
// Reads one consistent listing of the provincial catalogue (contract section 2).

#include <cstddef>
#include <cstdint>
#include <string>

#include "adapters/http/http_client.hpp"
#include "adapters/provincial/agency_remap.hpp"
#include "daemon/engine/ports.hpp"

namespace psd::provincial {

/// Torn listings discarded before the cycle gives up.
inline constexpr int kMaxListingRestarts = 3;
/// A catalogue claiming more records is refused rather than walked: a
/// province has a few thousand services, and a bogus total_items must not
/// send the reader through millions of pages.
inline constexpr std::int64_t kMaxCatalogueItems = 1'000'000;

/// Catalogue pages fetched at once after page 1 told how many there are: as
/// many as the national portal's default cap; 4 cost seed one more round trip.
inline constexpr std::size_t kParallelPages = 8;

struct CatalogueOptions {
  std::string base_url;  ///< provincial.base_url
  int page_size = 200;
  std::string bearer_token;  ///< empty: no Authorization header
  int max_restarts = kMaxListingRestarts;
  std::size_t parallel_pages = kParallelPages;
  /// Agency codes moved before validation. With a table, page 1 is never
  /// asked conditionally: a 304 would keep the listing remapped by an older table.
  AgencyRemap remap;
};

class CatalogueClient final : public engine::CatalogueSource {
 public:
  CatalogueClient(http::HttpClient& http, CatalogueOptions options);

  /// Read every page of one snapshot version; restart a torn listing up to
  /// `max_restarts` times. A 304 on page 1 returns `unchanged`.
  tl::expected<engine::CatalogueListing, core::Failure> read(const std::string& etag) override;

 private:
  enum class Attempt { done, torn };
  tl::expected<Attempt, core::Failure> read_once(const std::string& etag,
                                                 engine::CatalogueListing& listing);
  http::Request page_request(std::int64_t page) const;

  http::HttpClient& http_;
  CatalogueOptions options_;
  std::int64_t torn_page_ = 0;  ///< the page of the last torn attempt that differed
};

}  // namespace psd::provincial
