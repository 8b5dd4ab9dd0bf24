// Concurrency, caps, Retry-After windows, in-progress keys and injected faults.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/support/sim_process.hpp"
#include "tests/support/wait.hpp"
#include "tests/unit/sim/test_util.hpp"

namespace psd::sim::test {
namespace {

using namespace std::chrono_literals;

TEST(NationalLimits, MaxInFlightCountsConcurrentWrites) {
  SimProcess sim({"--services", "20", "--full", "5", "--integrated", "0", "--latency-ms", "800"});
  const auto bodies = missing_bodies(sim);
  ASSERT_GE(bodies.size(), 8u);
  const std::string token = sim.access_token();
  std::vector<std::thread> threads;
  threads.reserve(8);
  std::atomic<int> created{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto c = client_for(sim);
      auto res = test::put(c, token, bodies[i].first, bodies[i].second, "k" + std::to_string(i));
      created += res && res->status == 201 ? 1 : 0;
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(created, 8);
  const auto l = sim.ledger();
  EXPECT_GE(l.max_in_flight, 4u);  // 8 were sent at once; a loaded machine may stagger them
  EXPECT_LE(l.max_in_flight, 8u);
  sim.reset_ledger();
  EXPECT_EQ(sim.ledger().max_in_flight, 0u);
}

TEST(NationalLimits, SameKeyWhileInProgressIs409) {
  SimProcess sim({"--services", "5", "--full", "1", "--integrated", "0", "--latency-ms", "1500"});
  const auto bodies = missing_bodies(sim);
  const std::string token = sim.access_token();
  std::thread first([&] {
    auto c = client_for(sim);
    EXPECT_EQ(test::put(c, token, bodies[0].first, bodies[0].second, "slow")->status, 201);
  });
  // Send the second only once the first holds the key.
  ASSERT_TRUE(psd::testing::eventually([&] { return sim.ledger().puts >= 1; }, 10s, 5ms));
  std::this_thread::sleep_for(100ms);
  auto c = client_for(sim);
  auto res = test::put(c, token, bodies[0].first, bodies[0].second, "slow");
  first.join();
  EXPECT_EQ(res->status, 409);
  EXPECT_EQ(test::error_code(res->body), "IN_PROGRESS");
  EXPECT_EQ(sim.ledger().in_progress_conflicts, 1u);
  // Once done, the same key replays.
  EXPECT_EQ(test::put(c, token, bodies[0].first, bodies[0].second, "slow")->status, 201);
  EXPECT_EQ(sim.ledger().idempotent_replays, 1u);
}

TEST(NationalLimits, ConcurrencyCapAnswers429WithRetryAfter) {
  // A long latency keeps the first two in flight while the others arrive; a
  // long grace keeps late arrivals from counting as Retry-After violations.
  SimProcess sim({"--services", "20", "--full", "5", "--integrated", "0", "--latency-ms", "2000",
                  "--max-concurrency", "2", "--retry-after-grace-ms", "60000"});
  const auto bodies = missing_bodies(sim);
  const std::string token = sim.access_token();
  std::vector<std::thread> threads;
  threads.reserve(8);
  std::atomic<int> limited{0};
  std::atomic<int> created{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      auto c = client_for(sim);
      auto res = test::put(c, token, bodies[i].first, bodies[i].second, "c" + std::to_string(i));
      if (res && res->status == 429) {
        EXPECT_EQ(test::error_code(res->body), "CONCURRENCY_LIMIT");
        EXPECT_EQ(res->get_header_value("Retry-After"), "1");
        ++limited;
      }
      created += res && res->status == 201 ? 1 : 0;
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(created, 2);
  EXPECT_EQ(limited, 4);
  EXPECT_EQ(sim.ledger().concurrency_limited, 4u);
}

TEST(NationalLimits, RequestsDuringRetryAfterAreViolations) {
  SimProcess sim(
      {"--services", "5", "--full", "1", "--integrated", "2", "--retry-after-grace-ms", "100"});
  const std::string token = sim.access_token();
  auto c = client_for(sim);
  const httplib::Headers auth{{"Authorization", "Bearer " + token}};
  sim.fail({.target = "list", .status = 503, .retry_after = 2});
  auto res = c.Get("/national/provinces/H43/services", auth);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->get_header_value("Retry-After"), "2");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // Too early, even for the token endpoint.
  res = c.Get("/national/provinces/H43/services", auth);
  EXPECT_EQ(res->status, 429);
  EXPECT_FALSE(res->get_header_value("Retry-After").empty());
  res = c.Post("/national/oauth2/token",
               "grant_type=client_credentials&client_id=province-h43&client_secret=sim-secret",
               "application/x-www-form-urlencoded");
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(sim.ledger().retry_after_violations, 2u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1800));
  res = c.Get("/national/provinces/H43/services", auth);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(sim.ledger().retry_after_violations, 2u);
  EXPECT_EQ(sim.ledger().faults_injected, 1u);
}

TEST(NationalLimits, RateCap) {
  SimProcess sim({"--services", "5", "--full", "1", "--integrated", "2", "--rate-limit", "2",
                  "--retry-after-grace-ms", "60000"});
  auto c = client_for(sim);
  const httplib::Headers auth{{"Authorization", "Bearer " + sim.access_token()}};
  int ok = 0;
  int limited = 0;
  for (int i = 0; i < 6; ++i) {
    auto res = c.Get("/national/provinces/H43/services", auth);
    ok += res->status == 200 ? 1 : 0;
    if (res->status == 429) {
      ++limited;
      EXPECT_EQ(test::error_code(res->body), "RATE_LIMIT");
      EXPECT_EQ(res->get_header_value("Retry-After"), "1");
    }
  }
  // A burst of 2, then 2 per second: a slow machine may earn one more.
  EXPECT_GE(ok, 2);
  EXPECT_LE(ok, 3);
  EXPECT_EQ(ok + limited, 6);
  EXPECT_EQ(sim.ledger().rate_limited, static_cast<std::uint64_t>(limited));
}

TEST(NationalLimits, InjectedFaultsOnPutAndToken) {
  SimProcess sim({"--services", "5", "--full", "1", "--integrated", "0"});
  const auto bodies = missing_bodies(sim);
  const std::string token = sim.access_token();
  auto c = client_for(sim);
  sim.fail({.target = "put", .status = 500, .count = 2});
  EXPECT_EQ(test::put(c, token, bodies[0].first, bodies[0].second, "f1")->status, 500);
  // A 5xx is not stored under the key: the retry does the work.
  EXPECT_EQ(test::put(c, token, bodies[0].first, bodies[0].second, "f1")->status, 500);
  EXPECT_EQ(test::put(c, token, bodies[0].first, bodies[0].second, "f1")->status, 201);
  sim.fail({.target = "token", .status = 503});
  auto res = c.Post("/national/oauth2/token",
                    "grant_type=client_credentials&client_id=province-h43&client_secret=sim-secret",
                    "application/x-www-form-urlencoded");
  EXPECT_EQ(res->status, 503);
  sim.fail({.target = "put", .status = 403, .code = "FORBIDDEN_PROVINCE"});
  res = test::put(c, token, bodies[1].first, bodies[1].second, "f2");
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(test::error_code(res->body), "FORBIDDEN_PROVINCE");
  EXPECT_EQ(sim.ledger().faults_injected, 4u);
  // Bad fault requests are refused.
  EXPECT_EQ(sim.post("/_sim/fail?target=moon&status=500").status, 400);
}

}  // namespace
}  // namespace psd::sim::test
