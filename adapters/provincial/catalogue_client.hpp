#pragma once
// Reads one consistent listing of the provincial catalogue (contract section 2).

#include <cstddef>
#include <cstdint>
#include <string>

#include "adapters/http/http_client.hpp"
#include "adapters/page_fetcher.hpp"
#include "adapters/provincial/agency_remap.hpp"
#include "adapters/provincial/catalogue_reader.hpp"
#include "adapters/retry_window.hpp"
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
  std::string base_url{};  ///< provincial.base_url
  int page_size = 200;
  std::string bearer_token{};  ///< empty: no Authorization header
  int max_restarts = kMaxListingRestarts;
  std::size_t parallel_pages = kParallelPages;
  PagePolicy retry;  ///< the national listing's policy: backoff and tries per page
  /// Agency codes moved before validation. With a table, page 1 is never
  /// asked conditionally: a 304 would keep the listing remapped by an older table.
  AgencyRemap remap{};
};

class CatalogueClient final : public CatalogueReader {
 public:
  /// Backoffs and the Retry-After window are timed and waited out on `clock`
  /// (the daemon's waits end early at shutdown).
  CatalogueClient(http::HttpClient& http, CatalogueOptions options, engine::Clock& clock);

  /// Read every page of one snapshot version; restart a torn listing up to
  /// `max_restarts` times. A 304 on page 1 returns `unchanged`. Every page
  /// is fetched through PageFetcher: retried as the national listing's are.
  tl::expected<engine::CatalogueListing, core::Failure> read(const std::string& etag) override;

  /// The provincial portal's Retry-After window (to keep it across restarts).
  RetryWindow& retry_window() override { return window_; }

 private:
  enum class Attempt { done, torn };
  tl::expected<Attempt, core::Failure> read_once(const std::string& etag,
                                                 engine::CatalogueListing& listing);
  http::Request page_request(std::int64_t page) const;

  http::HttpClient& http_;
  CatalogueOptions options_;
  RetryWindow window_;
  WindowPacing pacing_;
  PageFetcher fetcher_;
  std::int64_t torn_page_ = 0;  ///< the page of the last torn attempt that differed
};

}  // namespace psd::provincial
