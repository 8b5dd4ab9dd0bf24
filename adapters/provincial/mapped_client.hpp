#pragma once
// Reads one consistent listing of a provincial catalogue that is not in the
// contract's shape, through a mapping file (contract dialects.md).

#include <cstdint>
#include <string>

#include "adapters/http/http_client.hpp"
#include "adapters/page_fetcher.hpp"
#include "adapters/provincial/catalogue_client.hpp"
#include "adapters/provincial/mapped_page.hpp"
#include "adapters/retry_window.hpp"
#include "daemon/engine/ports.hpp"

namespace psd::provincial {

struct MappedCatalogueOptions {
  std::string base_url{};  ///< provincial.base_url
  int page_size = 200;     ///< provincial.page_size, unless [paging].size says otherwise
  std::string bearer_token{};
  int max_restarts = kMaxListingRestarts;
  PagePolicy retry{};  ///< as for the contract's catalogue: backoff and tries per page
};

class MappedCatalogueClient final : public CatalogueReader {
 public:
  /// Backoffs, the Retry-After window and the listing's time are on `clock`.
  MappedCatalogueClient(http::HttpClient& http, MappedCatalogueOptions options,
                        config::Mapping mapping, AgencyRemap remap, engine::Clock& clock);

  /// Read every page; restart a torn listing (a changed total, or a code on
  /// two pages) up to `max_restarts` times. `etag` is ignored: a mapping
  /// change must take effect, so every cycle reads the whole catalogue.
  tl::expected<engine::CatalogueListing, core::Failure> read(const std::string& etag) override;

  /// Return the request for the page at `index` (0-based) whose first record
  /// is the `start`-th of the listing. For tests.
  http::Request page_request(std::int64_t index, std::int64_t start) const;

  /// The provincial portal's Retry-After window (to keep it across restarts).
  RetryWindow& retry_window() override { return window_; }

 private:
  enum class Attempt { done, torn };
  tl::expected<Attempt, core::Failure> read_once(engine::CatalogueListing& listing);
  /// Fetch and parse one page, retried as the contract's catalogue pages are.
  tl::expected<MappedPage, core::Failure> fetch_page(const http::Request& request,
                                                     const std::string& started_at);

  MappedCatalogueOptions options_;
  engine::Clock& clock_;
  RetryWindow window_;
  WindowPacing pacing_;
  PageFetcher fetcher_;
  RecordMapper mapper_;
  int page_size_;
  std::string torn_reason_;  ///< why the last torn attempt was torn, with its URL
};

}  // namespace psd::provincial
