#pragma once
// The run-time profile's fields, once: the name POST and GET /_sim/faults
// use, the portal-sim option that sets it at start, where it lives in
// Profile and its range. The argument parser, the control endpoint, the
// profile's JSON and tests/support's SimProcess all read this table, so a
// new field is one row here (and one member of Profile).

#include <array>
#include <cstdint>
#include <string_view>
#include <variant>

#include "sim/fault_profile.hpp"

namespace psd::sim {

/// Where a field lives in a Profile: a probability in 0..1 (double), an
/// integer in [min, max] (std::int64_t) or the targets mask (unsigned).
using ProfileSlot = std::variant<double*, std::int64_t*, unsigned*>;

struct ProfileField {
  std::string_view name;    // in /_sim/faults and the profile's JSON
  std::string_view option;  // on portal-sim's command line
  ProfileSlot (*slot)(Profile&);
  std::int64_t min = 0;  // for an integer
  std::int64_t max = 0;
};

inline constexpr std::int64_t kMaxProfileMs = 600000;

inline constexpr std::array kProfileFields{
    ProfileField{"p500", "--p500", [](Profile& p) -> ProfileSlot { return &p.faults.p500; }},
    ProfileField{"p503", "--p503", [](Profile& p) -> ProfileSlot { return &p.faults.p503; }},
    ProfileField{"p503_retry_after_share", "--p503-retry-after-share",
                 [](Profile& p) -> ProfileSlot { return &p.faults.p503_retry_after_share; }},
    ProfileField{"retry_after_seconds", "--retry-after-seconds",
                 [](Profile& p) -> ProfileSlot { return &p.faults.retry_after_seconds; }, 0, 3600},
    ProfileField{"p_reset", "--p-reset",
                 [](Profile& p) -> ProfileSlot { return &p.faults.p_reset; }},
    ProfileField{"p_apply_reset", "--p-apply-reset",
                 [](Profile& p) -> ProfileSlot { return &p.faults.p_apply_reset; }},
    ProfileField{"p_slow", "--p-slow", [](Profile& p) -> ProfileSlot { return &p.faults.p_slow; }},
    ProfileField{"slow_ms", "--slow-ms",
                 [](Profile& p) -> ProfileSlot { return &p.faults.slow_ms; }, 0, kMaxProfileMs},
    ProfileField{"p_html", "--p-html", [](Profile& p) -> ProfileSlot { return &p.faults.p_html; }},
    ProfileField{"targets", "--fault-targets",
                 [](Profile& p) -> ProfileSlot { return &p.faults.targets; }},
    ProfileField{"latency_ms", "--latency-ms",
                 [](Profile& p) -> ProfileSlot { return &p.latency_ms; }, 0, kMaxProfileMs},
    ProfileField{"rate_limit", "--rate-limit",
                 [](Profile& p) -> ProfileSlot { return &p.rate_limit; }, 0, 1000000},
    ProfileField{"max_concurrency", "--max-concurrency",
                 [](Profile& p) -> ProfileSlot { return &p.max_concurrency; }, 0, 1000000},
    ProfileField{"token_ttl", "--token-ttl", [](Profile& p) -> ProfileSlot { return &p.token_ttl; },
                 1, std::int64_t{86400} * 365},
};

/// The field named `name` ("p503"), or nullptr.
constexpr const ProfileField* find_profile_field(std::string_view name) {
  for (const ProfileField& field : kProfileFields) {
    if (field.name == name) {
      return &field;
    }
  }
  return nullptr;
}

/// The field that option `option` ("--p503") sets, or nullptr.
constexpr const ProfileField* find_profile_option(std::string_view option) {
  for (const ProfileField& field : kProfileFields) {
    if (field.option == option) {
      return &field;
    }
  }
  return nullptr;
}

}  // namespace psd::sim
