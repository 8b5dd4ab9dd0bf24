#include "daemon/core/withdraw_guard.hpp"

#include <fmt/format.h>

namespace psd::core {

std::size_t active_count(const Snapshot& snapshot) {
  std::size_t count = 0;
  for (const auto& entry : snapshot.services) {
    if (entry.service.status == Status::active) ++count;
  }
  for (const auto& record : snapshot.invalid) {
    if (record.counts_active) ++count;
  }
  return count;
}

namespace {

/// The share the catalogue lost since `previous_active`; 0 when it grew or is unknown.
double shrink_of(std::size_t active_now, std::optional<std::size_t> previous_active) {
  if (!previous_active || *previous_active == 0 || active_now >= *previous_active) return 0.0;
  return 1.0 - static_cast<double>(active_now) / static_cast<double>(*previous_active);
}

}  // namespace

bool listing_is_suspect(std::size_t active_now, std::optional<std::size_t> previous_active,
                        const WithdrawLimits& limits) {
  return active_now == 0 || shrink_of(active_now, previous_active) > limits.max_catalogue_shrink;
}

std::optional<std::string> withdraw_refusal(const Plan& plan, std::size_t active_now,
                                            std::optional<std::size_t> previous_active,
                                            std::size_t portal_count,
                                            const WithdrawLimits& limits) {
  if (plan.withdrawals.empty()) return std::nullopt;
  const std::size_t count = plan.withdrawals.size();
  if (active_now == 0) {
    return fmt::format("withdrew none of {} orphans: the catalogue listing is empty", count);
  }
  if (const double shrink = shrink_of(active_now, previous_active);
      shrink > limits.max_catalogue_shrink) {
    return fmt::format(
        "withdrew none of {} orphans: the catalogue shrank from {} to {} active services "
        "({:.1f}%, more than safety.max_catalogue_shrink {:.1f}%)",
        count, *previous_active, active_now, 100 * shrink, 100 * limits.max_catalogue_shrink);
  }
  const double fraction =
      portal_count == 0 ? 1.0 : static_cast<double>(count) / static_cast<double>(portal_count);
  if (fraction > limits.max_withdraw_fraction) {
    return fmt::format(
        "withdrew none of {} orphans: that is {:.1f}% of the {} services on the portal, more "
        "than safety.max_withdraw_fraction {:.1f}%",
        count, 100 * fraction, portal_count, 100 * limits.max_withdraw_fraction);
  }
  return std::nullopt;
}

}  // namespace psd::core
