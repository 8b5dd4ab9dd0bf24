#pragma once
// The simulator's own count of coverage (contract section 4), computed from
// its catalogue and national store, to check what the daemon reports. It
// shares no type or code with daemon/core/coverage.hpp on purpose: the
// oracle must not reuse what it checks.

#include <cstdint>
#include <map>
#include <string>

#include "sim/catalogue_gen.hpp"
#include "sim/catalogue_store.hpp"

namespace psd::sim {

struct CoverageCount {
  std::int64_t total = 0;
  std::int64_t integrated = 0;
  std::int64_t in_sync = 0;
  double percent = 0;  // percent(integrated, total)
  bool operator==(const CoverageCount&) const = default;
};

struct Coverage {
  std::int64_t total_active = 0;  // valid active + invalid records that count as active
  std::int64_t valid_active = 0;
  std::int64_t invalid_active = 0;
  std::int64_t integrated = 0;  // active catalogue records whose code is on the portal
  std::int64_t in_sync = 0;     // ... with the current content hash
  double percent = 0;           // percent(integrated, total_active)
  std::int64_t orphaned = 0;    // portal entries whose code is not active in the catalogue
  CoverageCount full;
  CoverageCount partial;
  std::map<std::string, CoverageCount> by_agency;
  std::string catalogue_version;
  bool operator==(const Coverage&) const = default;
};

Coverage compute_coverage(const CatalogueSnapshot& catalogue,
                          const std::map<std::string, NationalEntry>& national);

/// 100 * part / whole rounded half away from zero to 2 decimals; 0 when whole is 0.
double percent(std::int64_t part, std::int64_t whole);

}  // namespace psd::sim
