#include "daemon/core/coverage.hpp"

#include <algorithm>
#include <vector>

namespace psd::core {
namespace {

// 128 bits so that part * 20000 cannot overflow for any 64-bit count.
__extension__ using Wide = unsigned __int128;

void count(Tally& tally, bool integrated, bool in_sync) {
  ++tally.total;
  if (integrated) ++tally.integrated;
  if (in_sync) ++tally.in_sync;
}

}  // namespace

double rounded_percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return 0.0;
  // Hundredths of a percent in integers, half rounded up (all values are
  // non-negative, so that is half away from zero): no binary-float surprises.
  const Wide scaled = static_cast<Wide>(part) * 20000 + whole;
  const auto hundredths = static_cast<std::uint64_t>(scaled / (2 * static_cast<Wide>(whole)));
  return static_cast<double>(hundredths) / 100.0;
}

double Tally::percent() const { return rounded_percent(integrated, total); }

Coverage compute_coverage(const Snapshot& snapshot, const Mirror& mirror) {
  Coverage coverage;
  // The listing's services that exist in the catalogue: the rest are orphans.
  std::vector<bool> in_catalogue(mirror.size(), false);
  for (const auto& entry : snapshot.services) {
    const Service& service = entry.service;
    if (service.status != Status::active) continue;
    const std::size_t held = mirror.index_of(service.code);
    const bool integrated = held != Mirror::npos;
    if (integrated) in_catalogue[held] = true;
    const bool in_sync = integrated && mirror[held].content_hash == entry.content_hash;
    count(coverage.overall, integrated, in_sync);
    count(service.level == Level::full ? coverage.full : coverage.partial, integrated, in_sync);
    count(coverage.by_agency[service.agency.code], integrated, in_sync);
    count(coverage.by_admin_level[service.admin_level], integrated, in_sync);
  }
  for (const auto& record : snapshot.invalid) {
    if (!record.counts_active) continue;
    // It exists but cannot be integrated; if the portal holds an older valid
    // version it still counts as integrated, never as in sync.
    const std::size_t held = record.code.empty() ? Mirror::npos : mirror.index_of(record.code);
    const bool integrated = held != Mirror::npos;
    if (integrated) in_catalogue[held] = true;
    count(coverage.overall, integrated, false);
    if (record.level) {
      count(*record.level == Level::full ? coverage.full : coverage.partial, integrated, false);
    }
    if (!record.agency_code.empty())
      count(coverage.by_agency[record.agency_code], integrated, false);
    if (record.admin_level) count(coverage.by_admin_level[*record.admin_level], integrated, false);
  }
  coverage.orphaned =
      static_cast<std::uint64_t>(std::count(in_catalogue.begin(), in_catalogue.end(), false));
  return coverage;
}

namespace {

void count_now_in_sync(Tally& tally, bool was_integrated) {
  if (!was_integrated) ++tally.integrated;
  ++tally.in_sync;
}

}  // namespace

void count_put(Coverage& coverage, Level level, AdminLevel admin_level, const std::string& agency,
               bool was_integrated) {
  count_now_in_sync(coverage.overall, was_integrated);
  count_now_in_sync(level == Level::full ? coverage.full : coverage.partial, was_integrated);
  count_now_in_sync(coverage.by_agency[agency], was_integrated);
  count_now_in_sync(coverage.by_admin_level[admin_level], was_integrated);
}

void count_withdrawal(Coverage& coverage) {
  if (coverage.orphaned > 0) --coverage.orphaned;
}

}  // namespace psd::core
