#include "adapters/provincial/page_join.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

#include "adapters/provincial/agency_remap.hpp"

namespace psd::provincial {
namespace {

/// The codes of a page's records in order: equal for a page served twice.
std::string fingerprint(const CataloguePage& page) {
  std::string codes;
  for (const auto& entry : page.services) codes += entry.service.code + '\n';
  for (const auto& record : page.invalid) codes += record.code + '\n';
  return codes;
}

}  // namespace

PageJoin::PageJoin(std::int64_t expected_items) {
  // Page 1 checked total_items against kMaxCatalogueItems; memory not written
  // to is not resident, should a server claim more records than it serves.
  snapshot_.services.reserve(static_cast<std::size_t>(std::max<std::int64_t>(expected_items, 0)));
}

void PageJoin::add(std::int64_t number, CataloguePage page) {
  if (number < next_ || waiting_.contains(number)) return;  // taken already: the first counts
  if (!page.services.empty()) fingerprints_.emplace(number, fingerprint(page));
  waiting_.emplace(number, std::move(page));
  while (!waiting_.empty() && waiting_.begin()->first == next_) {
    join(waiting_.begin()->second);
    waiting_.erase(waiting_.begin());
    ++next_;
  }
}

void PageJoin::join(CataloguePage& page) {
  items_ += static_cast<std::int64_t>(page.services.size() + page.invalid.size());
  add_counts(remapped_, page.remapped);
  std::move(page.services.begin(), page.services.end(), std::back_inserter(snapshot_.services));
  std::move(page.invalid.begin(), page.invalid.end(), std::back_inserter(snapshot_.invalid));
}

std::optional<RepeatedPage> PageJoin::repeated() const {
  std::map<std::string_view, std::int64_t> first_with;
  for (const auto& [number, codes] : fingerprints_) {
    const auto [at, fresh] = first_with.emplace(codes, number);
    if (!fresh) return RepeatedPage{number, at->second};
  }
  return std::nullopt;
}

core::Snapshot PageJoin::finish() {
  for (auto& [number, page] : waiting_) join(page);
  waiting_.clear();
  return std::move(snapshot_);
}

}  // namespace psd::provincial
