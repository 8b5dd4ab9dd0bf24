#pragma once
// The plan as people read it (--dry-run, and later portal-syncctl plan).

#include <string>

#include "daemon/engine/cycle.hpp"

namespace psd::runtime {

/// Items of each class printed by name; the counts are always complete.
inline constexpr std::size_t kPlanItemsShown = 10;

/// Return a readable plan: the counts of every class, then the first items of each.
std::string format_plan(const engine::CycleReport& report, std::string_view province,
                        std::size_t items_shown = kPlanItemsShown);

}  // namespace psd::runtime
