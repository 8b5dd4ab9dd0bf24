#include "sim/fault_plan.hpp"

#include "sim/rng.hpp"

namespace psd::sim {
namespace {

// FNV-1a: std::hash differs between standard libraries; this does not.
std::uint64_t fnv1a(std::string_view a, std::string_view b) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&](std::string_view s) {
    for (const char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ULL;
    }
  };
  mix(a);
  mix(" ");
  mix(b);
  return h;
}

double unit(Rng& rng) { return static_cast<double>(rng.next() >> 11) * 0x1.0p-53; }

}  // namespace

FaultPlan::FaultPlan(Profile initial, std::uint64_t seed)
    : initial_(initial), seed_(seed), profile_(initial) {}

Profile FaultPlan::profile() const {
  std::lock_guard lock(mu_);
  return profile_;
}

void FaultPlan::set(const Profile& profile) {
  std::lock_guard lock(mu_);
  profile_ = profile;
}

Roll FaultPlan::roll(Target target, std::string_view method, std::string_view request_target) {
  const std::uint64_t key = fnv1a(method, request_target);
  FaultRates f;
  std::uint64_t nth = 0;
  {
    std::lock_guard lock(mu_);
    f = profile_.faults;
    if ((f.targets & target_bit(target)) == 0) {
      return {};
    }
    nth = seen_[key]++;
  }
  Rng rng(derive_seed(seed_ ^ key, nth + 1));
  const double u = unit(rng);
  const bool write = target == Target::kNationalPut || target == Target::kNationalDelete;
  const bool page = target == Target::kNationalList || target == Target::kCatalogue;
  // Consecutive bands of [0, 1); a band that does not apply to this target
  // means no fault, so every rate is exact where it applies.
  double edge = 0;
  const auto in_band = [&](double p) {
    edge += p;
    return u < edge;
  };
  Roll out;
  if (in_band(f.p_reset)) {
    out.kind = Injection::kReset;
  } else if (in_band(f.p_apply_reset)) {
    out.kind = write ? Injection::kApplyReset : Injection::kNone;
  } else if (in_band(f.p500)) {
    out.kind = Injection::k500;
  } else if (in_band(f.p503)) {
    out.kind = Injection::k503;
    out.retry_after = unit(rng) < f.p503_retry_after_share;
  } else if (in_band(f.p_html)) {
    out.kind = page ? Injection::kHtml : Injection::kNone;
  } else if (in_band(f.p_slow)) {
    out.kind = Injection::kSlow;
  }
  return out;
}

}  // namespace psd::sim
