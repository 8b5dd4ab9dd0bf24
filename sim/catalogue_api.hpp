#pragma once
// GET /provincial/services: paged snapshots with X-Catalogue-Version, ETags,
// 304 on page 1 and torn listings on demand.

#include <httplib.h>

#include <string>

#include "sim/args.hpp"
#include "sim/catalogue_store.hpp"
#include "sim/gate.hpp"
#include "sim/ledger.hpp"

namespace psd::sim {

inline constexpr std::int64_t kDefaultPageSize = 100;
inline constexpr std::int64_t kMaxPageSize = 500;

/// The ETag of `page` at `page_size` in the snapshot `version`. Page 1's
/// embeds the version, so it covers the whole snapshot.
std::string page_etag(const std::string& version, std::int64_t page, std::int64_t page_size);

class CatalogueApi {
 public:
  CatalogueApi(const SimOptions& options, CatalogueStore& store, Ledger& ledger, Gate& gate);

  void handle(const httplib::Request& req, httplib::Response& res);

 private:
  const SimOptions& options_;
  CatalogueStore& store_;
  Ledger& ledger_;
  Gate& gate_;
};

}  // namespace psd::sim
