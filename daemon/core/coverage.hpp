#pragma once
// Coverage as the contract defines it (section 4).

#include <cstdint>
#include <map>
#include <string>

#include "daemon/core/plan.hpp"
#include "daemon/core/service.hpp"

namespace psd::core {

struct Tally {
  std::uint64_t total = 0;
  std::uint64_t integrated = 0;
  std::uint64_t in_sync = 0;
  /// Return 100 * integrated / total rounded half away from zero to 2 decimals; 0 when total is 0.
  double percent() const;
  bool operator==(const Tally&) const = default;
};

struct Coverage {
  Tally overall;
  Tally full;
  Tally partial;
  std::map<std::string, Tally> by_agency;  ///< agency code → tally
  /// Province, district and commune; an invalid record whose admin_level was
  /// unreadable counts in none (as one whose level was unreadable).
  std::map<AdminLevel, Tally> by_admin_level;
  std::uint64_t orphaned = 0;
};

/// Return `part` / `whole` as a percentage rounded half away from zero to 2 decimals.
double rounded_percent(std::uint64_t part, std::uint64_t whole);

/// Return the coverage of the active services of `snapshot` by `mirror`.
Coverage compute_coverage(const Snapshot& snapshot, const Mirror& mirror);

/// Count in `coverage` a PUT that took effect for an active service of
/// `level`, `admin_level` and `agency`, which was out of sync before: it is now
/// integrated and in sync (`was_integrated`: the portal held an older version
/// already).
void count_put(Coverage& coverage, Level level, AdminLevel admin_level, const std::string& agency,
               bool was_integrated);
/// Count in `coverage` a withdrawal that took effect: one orphan less.
void count_withdrawal(Coverage& coverage);

}  // namespace psd::core
