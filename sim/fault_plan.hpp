#pragma once
// Which random fault, if any, a request gets. The draw depends only on the
// seed, the request (method and target) and how many times that same request
// was seen before, so a run is reproducible even when the client sends
// concurrently: the n-th PUT of a path gets the same fate in every run.

#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "sim/fault_profile.hpp"

namespace psd::sim {

enum class Injection { kNone, kReset, kApplyReset, k500, k503, kHtml, kSlow };

struct Roll {
  Injection kind = Injection::kNone;
  bool retry_after = false;  // for k503: carries a Retry-After
};

class FaultPlan {
 public:
  FaultPlan(Profile initial, std::uint64_t seed);

  Profile profile() const;
  /// The profile given on the command line.
  const Profile& initial() const { return initial_; }
  void set(const Profile& profile);

  /// The fault of this request of `target` (kNone when the target is not in
  /// the profile's targets, or the fault does not apply to it).
  Roll roll(Target target, std::string_view method, std::string_view request_target);

 private:
  const Profile initial_;
  const std::uint64_t seed_;
  mutable std::mutex mu_;
  Profile profile_;
  std::unordered_map<std::uint64_t, std::uint64_t> seen_;  // request hash → times seen
};

}  // namespace psd::sim
