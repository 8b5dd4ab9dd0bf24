#pragma once
// The mass-withdrawal guard: a catalogue mishap must never unpublish services.

#include <cstddef>
#include <optional>
#include <string>

#include "daemon/core/plan.hpp"

namespace psd::core {

struct WithdrawLimits {
  double max_withdraw_fraction = 0.05;  ///< of the services the portal holds
  double max_catalogue_shrink = 0.10;   ///< against the last complete listing
};

/// Return the number of services of `snapshot` that count as active.
std::size_t active_count(const Snapshot& snapshot);

/// Return true when a listing is too suspect to measure the next one against:
/// it is empty, or it shrank by more than `max_catalogue_shrink` since
/// `previous_active` (when known).
bool listing_is_suspect(std::size_t active_now, std::optional<std::size_t> previous_active,
                        const WithdrawLimits& limits);

/// Return why the withdrawals of `plan` must not be sent, or nothing when they
/// may: the listing is empty, it shrank by more than `max_catalogue_shrink`
/// since `previous_active` (when known), or the plan withdraws more than
/// `max_withdraw_fraction` of the `portal_count` services the portal holds.
std::optional<std::string> withdraw_refusal(const Plan& plan, std::size_t active_now,
                                            std::optional<std::size_t> previous_active,
                                            std::size_t portal_count, const WithdrawLimits& limits);

}  // namespace psd::core
