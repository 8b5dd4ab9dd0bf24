// The pusher tells the portal when its next write is due (a retry's end of
// backoff), so a portal with writes in flight waits for that or for a
// completion instead of asking again and again.

#include <gtest/gtest.h>

#include <chrono>

#include "daemon/engine/pusher.hpp"
#include "daemon/state/state_store.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/engine/fakes.hpp"

namespace psd::engine {
namespace {

using std::chrono::milliseconds;

TEST(PusherDue, ARetryInBackoffIsDueAtItsEndAndNothingIsDueOnceAllAreDone) {
  psd::testing::TempDir dir;
  state::StateStore store(dir.path());
  testing::FakeClock clock;
  testing::FakePortal portal;
  portal.script["A"] = {WriteOutcome::retry};
  // The 503's Retry-After (1 s) outlasts any backoff (at most 0.5 s), so the
  // retry's time is known exactly; a jittered backoff of 0 would resend it
  // within the same write call.
  portal.retry_after = std::chrono::seconds(1);
  const auto ops =
      store.enqueue({{.kind = state::OpKind::remove, .code = "A", .idempotency_key = "k"}});
  Pusher pusher(portal, store, clock,
                {.max_in_flight = 2,
                 .max_attempts = 3,
                 .backoff = {.initial = milliseconds(500), .max = milliseconds(500)}});
  const auto start = clock.steady_now();
  const PushReport report = pusher.push(ops, nullptr);

  EXPECT_EQ(report.done, 1u);
  ASSERT_EQ(portal.dues.size(), 2u) << "one write call per round";
  EXPECT_EQ(portal.dues[0], start + milliseconds(1000)) << "the retry waiting is due";
  EXPECT_FALSE(portal.dues[1].has_value()) << "nothing waits: only a completion brings more";
}

}  // namespace
}  // namespace psd::engine
