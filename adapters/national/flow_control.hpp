#pragma once
// How fast and how wide the client talks to the national portal:
// - the portal-wide Retry-After window (contract section 3: nothing is sent,
//   the token endpoint included, before the time a 429 or 503 gave), the
//   RetryWindow the catalogue reader uses too;
// - a token bucket for national.max_requests_per_second;
// - an AIMD concurrency window, as TCP's congestion window: halved on a 429
//   or 503, grown back by one per window of successes. A CONCURRENCY_LIMIT
//   429 also sets a ceiling just under what was in flight, so the portal's
//   own cap is learnt once instead of probed (each probe costs a pause).
// Pure logic with the time passed in, so tests need no clock.

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "adapters/retry_window.hpp"

namespace psd::national {

struct FlowLimits {
  std::size_t max_concurrency = 8;      ///< national.max_concurrency
  double max_requests_per_second = 20;  ///< national.max_requests_per_second; <= 0: no limit
};

/// Successes at the learnt ceiling before it is raised by one again: the cap
/// may have been a gateway's passing state, but re-probing costs a pause.
inline constexpr std::uint64_t kCeilingProbeAfter = 2000;

class FlowControl {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit FlowControl(FlowLimits limits);

  /// When the next counted request (a listing page or a write) may start,
  /// with `in_flight` outstanding; a time not after `now` means now, and
  /// TimePoint::max() means "when one in flight completes".
  TimePoint ready_at(TimePoint now, std::size_t in_flight) const;
  /// The end of the Retry-After window, for requests the caps do not count (tokens).
  TimePoint quiet_until() const { return quiet_.until(); }
  RetryWindow& retry_window() { return quiet_; }

  /// A counted request starts now with `in_flight` others outstanding. Return
  /// its generation, to hand back with its outcome.
  std::uint64_t started(TimePoint now);

  /// The portal asked for a pause of `wait`, from `now`, for all requests.
  void retry_after(TimePoint now, std::chrono::seconds wait);
  /// Hold every request for `wait` from `now` (e.g. the token endpoint is down).
  void pause(TimePoint now, std::chrono::milliseconds wait);
  enum class Limit { rate, concurrency };
  /// A request of `generation`, sent with `in_flight` outstanding (itself
  /// included), was refused with a 429 for `limit` (its error code
  /// CONCURRENCY_LIMIT, or anything else). One decrease per round: outcomes
  /// of requests sent before the last decrease do not decrease again.
  void congested(std::uint64_t generation, std::size_t in_flight, Limit limit);
  /// A request succeeded: grow the window by 1/window (one per round).
  void succeeded();

  /// Requests that may be in flight now (1 to max_concurrency).
  std::size_t window() const { return static_cast<std::size_t>(window_); }
  std::size_t ceiling() const { return ceiling_; }
  double rate() const { return rate_; }

 private:
  FlowLimits limits_;
  RetryWindow quiet_;
  // Token bucket of one request: requests are spaced by 1/rate, so no
  // window of any length sees more than the rate, whatever the portal counts.
  TimePoint next_token_{};
  double rate_;
  double window_;
  std::size_t ceiling_;
  std::uint64_t generation_ = 0;     // of the next request to start
  std::uint64_t decreased_at_ = 0;   // generation at the last decrease
  std::uint64_t since_ceiling_ = 0;  // successes while at the ceiling
};

}  // namespace psd::national
