#include "adapters/national/flow_control.hpp"

#include <algorithm>

namespace psd::national {
namespace {

/// After a RATE_LIMIT 429 the rate halves, then grows back by this share of
/// the configured rate per success.
constexpr double kRateRecovery = 0.01;
constexpr double kMinRate = 0.1;  // requests per second: slow, but never stuck

}  // namespace

FlowControl::FlowControl(FlowLimits limits)
    : limits_(limits),
      rate_(limits.max_requests_per_second),
      window_(static_cast<double>(std::max<std::size_t>(limits.max_concurrency, 1))),
      ceiling_(std::max<std::size_t>(limits.max_concurrency, 1)) {}

FlowControl::TimePoint FlowControl::ready_at(TimePoint now, std::size_t in_flight) const {
  if (in_flight >= window()) return TimePoint::max();
  TimePoint at = std::max(now, quiet_.until());
  if (rate_ > 0) at = std::max(at, next_token_);
  return at;
}

std::uint64_t FlowControl::started(TimePoint now) {
  if (rate_ > 0) {
    const auto spacing =
        std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(1.0 / rate_));
    next_token_ = std::max(now, next_token_) + spacing;
  }
  return generation_++;
}

void FlowControl::retry_after(TimePoint now, std::chrono::seconds wait) {
  quiet_.retry_after(now, wait);
}

void FlowControl::pause(TimePoint now, std::chrono::milliseconds wait) { quiet_.pause(now, wait); }

void FlowControl::congested(std::uint64_t generation, std::size_t in_flight, Limit limit) {
  if (limit == Limit::concurrency) {
    // The portal refused `in_flight` at once: its cap is below that.
    ceiling_ = std::clamp<std::size_t>(in_flight > 1 ? in_flight - 1 : 1, 1, ceiling_);
    since_ceiling_ = 0;
  }
  if (generation < decreased_at_) return;  // same round as the last decrease
  decreased_at_ = generation_;
  window_ = std::max(1.0, std::min(window_ / 2, static_cast<double>(ceiling_)));
  if (limit == Limit::rate && rate_ > 0) rate_ = std::max(kMinRate, rate_ / 2);
}

void FlowControl::succeeded() {
  const auto cap = static_cast<double>(ceiling_);
  window_ = std::min(cap, window_ + 1.0 / window_);
  if (rate_ > 0) {
    rate_ = std::min(limits_.max_requests_per_second,
                     rate_ + limits_.max_requests_per_second * kRateRecovery);
  }
  if (ceiling_ < limits_.max_concurrency && window_ >= cap &&
      ++since_ceiling_ >= kCeilingProbeAfter) {
    ++ceiling_;
    since_ceiling_ = 0;
  }
}

}  // namespace psd::national
