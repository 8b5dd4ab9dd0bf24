#include "sim/coverage.hpp"

#include <set>

namespace psd::sim {
double percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) {
    return 0.0;
  }
  // Integer rounding: (2 * 10000 * part + whole) / (2 * whole) rounds half up,
  // which is half away from zero for non-negative values.
  const std::int64_t hundredths = (20000 * part + whole) / (2 * whole);
  return static_cast<double>(hundredths) / 100.0;
}

Coverage compute_coverage(const CatalogueSnapshot& catalogue,
                          const std::map<std::string, NationalEntry>& national) {
  Coverage c;
  c.catalogue_version = catalogue.version;
  std::set<std::string> active_codes;
  for (const auto& r : catalogue.records) {
    if (!r.counts_active()) {
      continue;  // suspended: as if not in the catalogue
    }
    active_codes.insert(r.code);
    ++c.total_active;
    ++(r.valid() ? c.valid_active : c.invalid_active);
    const auto it = national.find(r.code);
    const bool integrated = it != national.end();
    // An invalid record cannot be pushed, so it is never in sync.
    const bool in_sync = integrated && r.valid() && it->second.content_hash == r.expected_hash;
    c.integrated += integrated ? 1 : 0;
    c.in_sync += in_sync ? 1 : 0;
    CoverageCount* level = r.level == "full"      ? &c.full
                           : r.level == "partial" ? &c.partial
                                                  : nullptr;
    for (CoverageCount* bucket : {level, &c.by_agency[r.agency.code]}) {
      if (bucket != nullptr) {
        ++bucket->total;
        bucket->integrated += integrated ? 1 : 0;
        bucket->in_sync += in_sync ? 1 : 0;
      }
    }
  }
  for (const auto& [code, entry] : national) {
    if (active_codes.count(code) == 0) {
      ++c.orphaned;
    }
  }
  c.percent = percent(c.integrated, c.total_active);
  for (CoverageCount* bucket : {&c.full, &c.partial}) {
    bucket->percent = percent(bucket->integrated, bucket->total);
  }
  for (auto& [code, bucket] : c.by_agency) {
    bucket.percent = percent(bucket.integrated, bucket.total);
  }
  return c;
}

}  // namespace psd::sim
