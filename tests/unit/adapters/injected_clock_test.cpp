// The national client against a real portal-sim on loopback, on a fake
// clock: a Retry-After window is waited out and a token renewed on the
// clock the client was given, so neither costs real time.

#include <gtest/gtest.h>

#include <chrono>

#include "adapters/national/national_client.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/sim_process.hpp"

namespace psd::national {
namespace {

using psd::testing::FakeClock;
using psd::testing::SimProcess;
using std::chrono::seconds;

/// The client as the daemon wires it, every part on `clock`.
struct Client {
  Client(const SimProcess& sim, FakeClock& clock)
      : tokens(http, {sim.token_url(), sim.client_id(), sim.client_secret()}, clock),
        portal(http, tokens,
               {.base_url = sim.national_url(),
                .province = sim.province(),
                .flow = {.max_requests_per_second = 0},
                .backoff = {std::chrono::milliseconds(1), std::chrono::milliseconds(5)}},
               clock) {}

  http::HttpClient http{http::HttpOptions{}};
  TokenSource tokens;
  NationalClient portal;
};

TEST(InjectedClock, ARetryAfterWindowIsWaitedOutOnTheClientsClock) {
  SimProcess sim({"--services", "20", "--full", "10", "--integrated", "20"});
  FakeClock clock;
  Client client(sim, clock);
  sim.fail({.target = "list", .status = 503, .retry_after = 30});

  const auto listing = client.portal.list();

  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_EQ(listing->size(), 20u);
  EXPECT_GE(clock.slept(), seconds(30)) << "the next try waited for the whole window";
  EXPECT_LT(clock.slept(), seconds(31)) << "and for the window only";
  EXPECT_EQ(sim.ledger().faults_injected, 1u);
}

TEST(InjectedClock, ATokenIsRenewedWhenTheClientsClockSaysSo) {
  // A 100 s token is renewed 10 s before its end (kMaxRenewMargin caps longer margins).
  SimProcess sim({"--services", "5", "--full", "2", "--integrated", "5", "--token-ttl", "100"});
  FakeClock clock;
  Client client(sim, clock);

  ASSERT_TRUE(client.portal.list());
  clock.advance(seconds(89));
  ASSERT_TRUE(client.portal.list());
  EXPECT_EQ(client.tokens.fetches(), 1) << "89 s into a 100 s token: still good";
  clock.advance(seconds(2));
  ASSERT_TRUE(client.portal.list());
  EXPECT_EQ(client.tokens.fetches(), 2) << "91 s in: renewed before it expires";
  EXPECT_EQ(sim.ledger().token_requests, 2u);
  EXPECT_EQ(sim.ledger().unauthorized, 0u) << "no request went with an expired token";
  EXPECT_EQ(clock.slept(), seconds(0));
}

}  // namespace
}  // namespace psd::national
