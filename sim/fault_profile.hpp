#pragma once
// The fault profile: how often each kind of fault is injected, and the
// latency and caps, settable on the command line and at run time
// (POST /_sim/faults).

#include <cstdint>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace psd::sim {

enum class Target { kCatalogue, kToken, kNationalList, kNationalPut, kNationalDelete };

/// Bit of `t` in FaultRates::targets.
constexpr unsigned target_bit(Target t) { return 1U << static_cast<unsigned>(t); }

inline constexpr unsigned kNationalTargets = target_bit(Target::kNationalList) |
                                             target_bit(Target::kNationalPut) |
                                             target_bit(Target::kNationalDelete);
inline constexpr unsigned kDefaultTargets = kNationalTargets | target_bit(Target::kToken);
inline constexpr unsigned kAllTargets = kDefaultTargets | target_bit(Target::kCatalogue);

/// Probabilities (0..1) of the random faults; each request draws at most one.
struct FaultRates {
  double p500 = 0;
  double p503 = 0;
  double p503_retry_after_share = 0.5;  // of the 503s, those with a Retry-After
  std::int64_t retry_after_seconds = 1;
  double p_reset = 0;        // connection reset before any work
  double p_apply_reset = 0;  // PUT/DELETE done and stored, then the connection reset
  double p_slow = 0;         // answer held back slow_ms after the work is done
  std::int64_t slow_ms = 2000;
  double p_html = 0;  // listing or catalogue page answered 200 text/html
  unsigned targets = kDefaultTargets;
};

/// Everything /_sim/faults can change while the simulator runs.
struct Profile {
  FaultRates faults;
  std::int64_t latency_ms = 0;
  std::int64_t rate_limit = 0;
  std::int64_t max_concurrency = 0;
  std::int64_t token_ttl = 3600;
};

/// Nothing when it is done, else why not: the simulator's checks return a
/// message (it shares no code with the daemon; ARCHITECTURE.md, "Errors").
using Done = tl::expected<void, std::string>;

/// Return `why` as the error of a Done (or of any tl::expected<T, std::string>).
inline tl::unexpected<std::string> not_done(std::string why) {
  return tl::unexpected(std::move(why));
}

/// Set one field by its snake_case name ("p503", "slow_ms", "targets",
/// "latency_ms", ...), or return an error naming the field.
/// `fault_only` refuses the non-fault fields (latency_ms, rate_limit, ...).
Done set_profile_field(Profile& profile, std::string_view name, std::string_view value,
                       bool fault_only = false);

/// Check that the probabilities of `rates` are consistent, else say why not.
Done check_rates(const FaultRates& rates);

/// "put,delete,list,token" for a targets mask; parse the same (and
/// "national", "all", "none"); false on an unknown name.
std::string targets_text(unsigned targets);
bool parse_targets(std::string_view text, unsigned& targets);

/// The profile as one JSON object.
std::string profile_json(const Profile& profile);

}  // namespace psd::sim
