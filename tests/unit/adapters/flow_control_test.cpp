// FlowControl with explicit times: the Retry-After window, the token bucket
// and the AIMD window, as the contract's section 3 asks of a good client.
#include "adapters/national/flow_control.hpp"

#include <gtest/gtest.h>

namespace psd::national {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using TimePoint = FlowControl::TimePoint;

constexpr TimePoint t0 = TimePoint{} + std::chrono::hours(1);

TEST(FlowControl, SpacesRequestsByTheRate) {
  FlowControl flow({.max_concurrency = 8, .max_requests_per_second = 20});
  EXPECT_EQ(flow.ready_at(t0, 0), t0);
  flow.started(t0);
  EXPECT_EQ(flow.ready_at(t0, 1), t0 + milliseconds(50));
  flow.started(t0 + milliseconds(50));
  flow.started(t0 + milliseconds(100));
  // Idle time does not bank a burst: the next request after a pause is spaced from now.
  EXPECT_EQ(flow.ready_at(t0 + seconds(10), 0), t0 + seconds(10));
}

TEST(FlowControl, NoRateLimitWhenTheRateIsZero) {
  FlowControl flow({.max_concurrency = 2, .max_requests_per_second = 0});
  flow.started(t0);
  EXPECT_EQ(flow.ready_at(t0, 1), t0);
  EXPECT_EQ(flow.ready_at(t0, 2), TimePoint::max()) << "the window still caps concurrency";
}

TEST(FlowControl, ARetryAfterHoldsEveryRequestUntilItEnds) {
  FlowControl flow({.max_concurrency = 8, .max_requests_per_second = 0});
  flow.retry_after(t0, seconds(3));
  EXPECT_EQ(flow.ready_at(t0, 0), t0 + seconds(3));
  EXPECT_EQ(flow.quiet_until(), t0 + seconds(3));
  flow.retry_after(t0 + seconds(1), seconds(1));
  EXPECT_EQ(flow.quiet_until(), t0 + seconds(3)) << "a shorter window never shortens a longer one";
  flow.retry_after(t0, seconds(100000));
  EXPECT_EQ(flow.quiet_until(), t0 + seconds(3600)) << "clamped to a sane maximum";
}

TEST(FlowControl, HalvesTheWindowOncePerRoundOnA429) {
  FlowControl flow({.max_concurrency = 8, .max_requests_per_second = 0});
  std::vector<std::uint64_t> round(8);
  for (auto& id : round) id = flow.started(t0);
  flow.congested(round[0], 8, FlowControl::Limit::rate);
  EXPECT_EQ(flow.window(), 4u);
  // The rest of that round's 429s are the same congestion event.
  for (int i = 1; i < 8; ++i) flow.congested(round[i], 8, FlowControl::Limit::rate);
  EXPECT_EQ(flow.window(), 4u);
  // A request sent after the decrease that is refused again halves again.
  flow.congested(flow.started(t0), 4, FlowControl::Limit::rate);
  EXPECT_EQ(flow.window(), 2u);
  EXPECT_EQ(flow.ready_at(t0, 2), TimePoint::max());
  EXPECT_EQ(flow.ready_at(t0, 1), t0);
}

TEST(FlowControl, GrowsBackByOnePerWindowOfSuccesses) {
  FlowControl flow({.max_concurrency = 8, .max_requests_per_second = 0});
  flow.congested(flow.started(t0), 8, FlowControl::Limit::rate);
  ASSERT_EQ(flow.window(), 4u);
  for (int i = 0; i < 3; ++i) flow.succeeded();
  EXPECT_EQ(flow.window(), 4u);
  for (int i = 0; i < 2; ++i) flow.succeeded();
  EXPECT_EQ(flow.window(), 5u) << "one more after about a round (4 to 5 successes)";
  for (int i = 0; i < 1000; ++i) flow.succeeded();
  EXPECT_EQ(flow.window(), 8u) << "never above max_concurrency";
}

TEST(FlowControl, LearnsThePortalsConcurrencyCapFromTheFirstRefusal) {
  FlowControl flow({.max_concurrency = 16, .max_requests_per_second = 0});
  // The portal refused the 6th of 6 in flight: its cap is 5.
  flow.congested(flow.started(t0), 6, FlowControl::Limit::concurrency);
  EXPECT_EQ(flow.ceiling(), 5u);
  for (int i = 0; i < 1000; ++i) flow.succeeded();
  EXPECT_EQ(flow.window(), 5u) << "grows back to the learnt cap, not past it";
  for (std::uint64_t i = 0; i < kCeilingProbeAfter; ++i) flow.succeeded();
  EXPECT_EQ(flow.ceiling(), 6u) << "and probes one above it only after a long healthy run";
}

TEST(FlowControl, ARateLimitRefusalSlowsTheRateAndItRecovers) {
  FlowControl flow({.max_concurrency = 8, .max_requests_per_second = 20});
  flow.congested(flow.started(t0), 1, FlowControl::Limit::rate);
  EXPECT_DOUBLE_EQ(flow.rate(), 10.0);
  for (int i = 0; i < 200; ++i) flow.succeeded();
  EXPECT_DOUBLE_EQ(flow.rate(), 20.0);
}

}  // namespace
}  // namespace psd::national
