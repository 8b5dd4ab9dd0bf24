// The pusher and the national client on one injected clock, against a real
// portal-sim: the pusher waits for the client's not_before(), a time on the
// clock both were given, so a Retry-After window costs its length on that
// clock and no real time.

#include <gtest/gtest.h>

#include <chrono>

#include "adapters/national/national_client.hpp"
#include "daemon/engine/idempotency_key.hpp"
#include "daemon/engine/pusher.hpp"
#include "daemon/state/state_store.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::engine {
namespace {

using std::chrono::seconds;

TEST(PusherClock, ARetryAfterOnAWriteIsWaitedOutOnTheSharedClock) {
  psd::testing::SimProcess sim({"--services", "3", "--full", "1", "--integrated", "3"});
  psd::testing::TempDir dir;
  state::StateStore store(dir.path());
  psd::testing::FakeClock clock;
  http::HttpClient http{http::HttpOptions{}};
  national::TokenSource tokens(http, {sim.token_url(), sim.client_id(), sim.client_secret()},
                               clock);
  national::NationalClient portal(
      http, tokens, {.base_url = sim.national_url(), .province = sim.province()}, clock);
  const std::string code = sim.services().records.at(0).code;
  const auto ops = store.enqueue({{.kind = state::OpKind::remove,
                                   .code = code,
                                   .idempotency_key = new_idempotency_key(sim.province(), code)}});
  sim.fail({.target = "delete", .status = 429, .retry_after = 20});

  Pusher pusher(portal, store, clock,
                {.max_in_flight = 2,
                 .max_attempts = 3,
                 .backoff = {std::chrono::milliseconds(1), std::chrono::milliseconds(5)}});
  const PushReport report = pusher.push(ops, nullptr);

  EXPECT_EQ(report.done, 1u);
  EXPECT_EQ(report.sends, 2u) << "refused once, then sent after the window";
  EXPECT_GE(clock.slept(), seconds(20)) << "the window was waited out";
  EXPECT_LT(clock.slept(), seconds(21)) << "on the clock the window was set on, and no longer";
  EXPECT_EQ(sim.ledger().deletes, 1u);
}

}  // namespace
}  // namespace psd::engine
