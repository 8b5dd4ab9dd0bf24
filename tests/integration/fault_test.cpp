// The real daemon against portal-sim injecting faults on both portals (the
// provincial catalogue too), each alone and all at once: `--once` must reach
// 100% with a clean ledger (no wasted write, no hash mismatch, nothing sent
// inside either portal's Retry-After window, never more in flight than the
// cap). The simulator's ledger is the witness.
#include <gtest/gtest.h>

#include <iostream>
#include <ostream>
#include <string>
#include <vector>

#include "tests/integration/daemon_run.hpp"
#include "tests/support/ledger_has.hpp"
#include "tests/support/sim_process.hpp"

namespace psd::testing {
namespace {

constexpr const char* kFast = "max_requests_per_second = 1000\n";

struct FaultCase {
  std::string name{};
  SimFaultProfile profile{};
  std::vector<std::string> sim_args{};  ///< beyond the catalogue's shape
  /// [national] keys of the daemon; the default rate (20/s) would make the
  /// rate, not the fault, what each test measures.
  std::string national_extra = kFast;
  std::uint64_t cap = 8;                 ///< most PUT/DELETE the portal may see at once
  std::uint64_t min_token_requests = 1;  ///< > 1 where tokens expire during the run
};

/// The catalogue of every case: 400 services, 150 to create, 50 to update.
std::vector<std::string> catalogue_args() {
  return {"--services", "400",     "--full", "200",    "--integrated",
          "250",        "--stale", "50",     "--seed", "11"};
}

/// gtest names a case by its name, not by 304 bytes of hex.
void PrintTo(const FaultCase& fault, std::ostream* out) { *out << fault.name; }

void expect_converged_with_a_clean_ledger(const SimProcess& sim, const DaemonResult& result,
                                          std::uint64_t cap) {
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const sim::Coverage coverage = sim.coverage();
  EXPECT_EQ(coverage.in_sync, coverage.total_active);
  EXPECT_EQ(coverage.percent, 100.0);
  const SimLedger ledger = sim.ledger();
  EXPECT_TRUE(no_mistakes(ledger));
  EXPECT_LE(ledger.max_in_flight, cap);
}

class FaultAlone : public ::testing::TestWithParam<FaultCase> {};

TEST_P(FaultAlone, OneRunConvergesWithACleanLedger) {
  const FaultCase& fault = GetParam();
  SimProcess::Options options;
  options.args = catalogue_args();
  options.args.insert(options.args.end(), fault.sim_args.begin(), fault.sim_args.end());
  options.faults = fault.profile;
  SimProcess sim(options);
  DaemonRun run(sim, "", fault.national_extra);

  const DaemonResult result = run.once();

  expect_converged_with_a_clean_ledger(sim, result, fault.cap);
  const SimLedger ledger = sim.ledger();
  EXPECT_TRUE(ledger_has(ledger, {{"creates", 150}, {"updates", 50}}));
  EXPECT_GE(ledger.token_requests, fault.min_token_requests);
}

/// A fault profile that hits both portals: the catalogue, the token
/// endpoint, the national listing and the writes.
SimFaultProfile profile(const std::function<void(SimFaultProfile&)>& set) {
  SimFaultProfile profile;
  profile.targets = "all";
  set(profile);
  return profile;
}

INSTANTIATE_TEST_SUITE_P(
    Faults, FaultAlone,
    ::testing::Values(FaultCase{"Http503WithRetryAfter", profile([](auto& p) {
                                  p.p503 = 0.2;
                                  p.p503_retry_after_share = 0.1;
                                  p.retry_after_seconds = 1;
                                })},
                      FaultCase{"Http503WithoutRetryAfter", profile([](auto& p) {
                                  p.p503 = 0.2;
                                  p.p503_retry_after_share = 0.0;
                                })},
                      FaultCase{"Http500", profile([](auto& p) { p.p500 = 0.2; })},
                      FaultCase{"ResetBeforeAnswering", profile([](auto& p) { p.p_reset = 0.1; })},
                      FaultCase{"ApplyThenReset", profile([](auto& p) { p.p_apply_reset = 0.1; })},
                      FaultCase{.name = "SlowAnswersPastTheTimeout",
                                .profile = profile([](auto& p) {
                                  p.p_slow = 0.05;
                                  p.slow_ms = 2500;
                                }),
                                .national_extra = std::string(kFast) + "timeout = \"1s\"\n"},
                      FaultCase{.name = "TokensExpiringEverySecond",
                                .profile = profile([](auto& p) {
                                  p.token_ttl = 1;
                                  p.latency_ms =
                                      60;  // 25 rounds of 60 ms: the run outlives a token
                                }),
                                .min_token_requests = 2},
                      FaultCase{.name = "RateLimitAsConfigured",
                                .sim_args = {"--rate-limit", "40"},
                                .national_extra = "max_requests_per_second = 40\n"},
                      FaultCase{.name = "PortalCapsConcurrencyBelowTheConfig",
                                .sim_args = {"--max-concurrency", "3"},
                                .national_extra = std::string(kFast) + "max_concurrency = 8\n"},
                      FaultCase{.name = "PortalCapsTheRateBelowTheConfig",
                                .sim_args = {"--rate-limit", "30"},
                                .national_extra = "max_requests_per_second = 200\n"}),
    [](const ::testing::TestParamInfo<FaultCase>& each) { return each.param.name; });

TEST(FaultRate, TheDaemonNeverExceedsMaxRequestsPerSecond) {
  SimProcess::Options options;
  options.args = catalogue_args();
  options.args.insert(options.args.end(), {"--rate-limit", "40"});
  SimProcess sim(options);
  DaemonRun run(sim, "", "max_requests_per_second = 40\n");
  const DaemonResult result = run.once();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(sim.ledger().rate_limited, 0u) << "the token bucket keeps under the portal's rate";
}

TEST(FaultConcurrency, ThePortalsLowerCapIsLearntFromItsFirstRefusals) {
  SimProcess::Options options;
  options.args = catalogue_args();
  options.args.insert(options.args.end(), {"--max-concurrency", "3", "--latency-ms", "10"});
  SimProcess sim(options);
  DaemonRun run(sim, "", std::string(kFast) + "max_concurrency = 8\n");
  const DaemonResult result = run.once();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  // The first round may meet the cap a few times; after that the window stays under it.
  EXPECT_LE(sim.ledger().concurrency_limited, 8u);
  EXPECT_EQ(sim.ledger().retry_after_violations, 0u);
}

// The mixed profile on both portals: 2,000 services; 20% 503 (some
// with Retry-After), 5% resets, 5% apply-then-reset, 3% slow answers past
// the timeout, on the catalogue as on the national portal; tokens expiring
// every 5 s, a concurrency cap of 8. At most 3 `--once` runs converge.
TEST(FaultMixed, TwoThousandServicesConvergeUnderEveryFaultOnBothPortals) {
  constexpr int kMaxRuns = 3;
  SimProcess::Options options;
  options.args = {"--services",   "2000", "--full",      "1000", "--integrated",      "900",
                  "--stale",      "100",  "--token-ttl", "5",    "--max-concurrency", "8",
                  "--latency-ms", "5",    "--seed",      "23"};
  options.faults = SimFaultProfile::mixed_on_both_portals();
  SimProcess sim(options);
  DaemonRun run(sim, "", std::string(kFast) + "max_concurrency = 8\ntimeout = \"1s\"\n");

  DaemonResult result;
  int runs = 0;
  while (runs < kMaxRuns) {
    ++runs;
    result = run.once();
    if (result.exit_code == 0) break;
  }
  std::cout << "converged in " << runs << " --once run(s)\n";

  expect_converged_with_a_clean_ledger(sim, result, 8);
  const SimLedger ledger = sim.ledger();
  EXPECT_TRUE(ledger_has(ledger, {{"creates", 1100}, {"updates", 100}}));
  EXPECT_GT(ledger.resets, 0u);
  EXPECT_GT(ledger.apply_resets, 0u);
  EXPECT_GT(ledger.slow_answers, 0u);
  EXPECT_GT(ledger.injected_503, 0u);
  EXPECT_GT(ledger.catalogue_pages, 10u) << "the catalogue's pages were retried";
  EXPECT_GE(ledger.idempotent_replays, ledger.apply_resets)
      << "every applied-then-reset write is resent with its key and replayed";
}

}  // namespace
}  // namespace psd::testing
