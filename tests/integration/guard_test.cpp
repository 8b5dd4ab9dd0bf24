// The mass-withdrawal guard end to end: the real portal-syncd with
// safety.withdraw_removed = true against portal-sim. Each guard case
// withdraws nothing (the sim's ledger counts the deletes) and says why in
// last_cycle.error and the log; a small withdrawal still happens.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/daemon_run.hpp"

namespace psd::testing {
namespace {

constexpr int kOk = 0, kGuardOrListing = 3;

std::string safety(double max_withdraw_fraction = 0.05) {
  return "[safety]\nwithdraw_removed = true\nmax_withdraw_fraction = " +
         std::to_string(max_withdraw_fraction) + "\nmax_catalogue_shrink = 0.10\n";
}

/// portal-sim's options for 100 services, all on the portal, and `orphans`
/// more that the portal holds and the catalogue no longer has.
std::vector<std::string> hundred_services_and_orphans(int orphans) {
  return {"--services",   "100", "--full",    "50",
          "--integrated", "100", "--orphans", std::to_string(orphans)};
}

/// last_cycle.error of the status file; "" when null.
std::string last_error(const DaemonRun& daemon) {
  const auto status = daemon.status();
  const auto& error = status["last_cycle"]["error"];
  return error.IsString() ? error.GetString() : "";
}

/// The cycle withdrew nothing and said why, in one line, in the status file and the log.
void expect_refused(const SimProcess& sim, const DaemonRun& daemon, const DaemonResult& result,
                    const std::string& why) {
  EXPECT_EQ(result.exit_code, kGuardOrListing) << describe(result);
  EXPECT_EQ(sim.ledger().deletes, 0u);
  EXPECT_EQ(sim.ledger().delete_requests, 0u);
  const std::string error = last_error(daemon);
  EXPECT_NE(error.find(why), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  EXPECT_NE(result.err.find(why), std::string::npos) << "the log says why too\n" << result.err;
}

TEST(WithdrawGuard, ASmallWithdrawalFromAHealthyListingHappens) {
  SimProcess sim(hundred_services_and_orphans(2));
  DaemonRun daemon(sim, safety());
  const DaemonResult result = daemon.once();
  EXPECT_EQ(result.exit_code, kOk) << describe(result);
  EXPECT_EQ(sim.ledger().deletes, 2u);
  EXPECT_EQ(sim.coverage().orphaned, 0);
  EXPECT_EQ(last_error(daemon), "");
}

TEST(WithdrawGuard, WithdrawalOffLeavesOrphansAlone) {
  SimProcess sim(hundred_services_and_orphans(2));
  DaemonRun daemon(sim);
  const DaemonResult result = daemon.once();
  EXPECT_EQ(result.exit_code, kOk) << describe(result);
  EXPECT_EQ(sim.ledger().delete_requests, 0u);
  EXPECT_EQ(sim.coverage().orphaned, 2);
}

TEST(WithdrawGuard, TooLargeAShareWithdrawsNothing) {
  SimProcess sim(hundred_services_and_orphans(10));
  DaemonRun daemon(sim, safety());
  const DaemonResult result = daemon.once();
  expect_refused(sim, daemon, result, "max_withdraw_fraction");
  EXPECT_NE(last_error(daemon).find("withdrew none of 10 orphans"), std::string::npos);
}

TEST(WithdrawGuard, AnEmptyListingWithdrawsNothing) {
  SimProcess sim({"--services", "0", "--full", "0", "--integrated", "0", "--orphans", "5"});
  DaemonRun daemon(sim, safety(1.0));
  const DaemonResult result = daemon.once();
  expect_refused(sim, daemon, result, "the catalogue listing is empty");
}

TEST(WithdrawGuard, AFailedListingWithdrawsNothing) {
  SimProcess sim(hundred_services_and_orphans(2));
  DaemonRun daemon(sim, safety());
  sim.fail({.target = "catalogue",
            .status = 200,
            .count = 5,
            .body = "malformed"});  // every try of page 1
  const DaemonResult result = daemon.once();
  expect_refused(sim, daemon, result, "provincial catalogue");
  EXPECT_NE(last_error(daemon).find("not valid JSON"), std::string::npos) << last_error(daemon);
  EXPECT_EQ(sim.ledger().puts, 0u);
}

TEST(WithdrawGuard, ATornListingWithdrawsNothing) {
  SimProcess sim({"--services", "300", "--full", "150", "--integrated", "300", "--orphans", "2"});
  DaemonRun daemon(sim, safety());
  sim.tear(10);  // more tears in a row than the reader restarts
  const DaemonResult result = daemon.once();
  expect_refused(sim, daemon, result, "changed while it was being read");
  EXPECT_EQ(sim.ledger().puts, 0u);
}

TEST(WithdrawGuard, AShrunkListingWithdrawsNothingCycleAfterCycle) {
  // A first daemon learns a catalogue of 100; then its state meets a
  // catalogue of 60 whose 40 missing services the portal still holds.
  SimProcess sim({"--services", "60", "--full", "30", "--integrated", "60", "--orphans", "40"});
  DaemonRun daemon(sim, safety(1.0));  // only the shrink guard stands
  {
    SimProcess before({"--services", "100", "--full", "50", "--integrated", "100"});
    DaemonRun first(before, safety(1.0));
    ASSERT_EQ(first.once().exit_code, kOk);
    std::filesystem::copy(first.dir() / "state", daemon.dir() / "state");
  }
  for (int cycle = 1; cycle <= 2; ++cycle) {
    const DaemonResult result = daemon.once();
    SCOPED_TRACE("cycle " + std::to_string(cycle));
    expect_refused(sim, daemon, result, "shrank from 100 to 60");
  }
  EXPECT_EQ(sim.coverage().orphaned, 40);
}

TEST(WithdrawGuard, UnderRandomFaultsOnlyTheRealOrphansAreWithdrawnAndEachOnce) {
  // Every request may fail, reset, be applied then reset, or come back as an
  // HTML page, and some listings are torn: cycles fail, but no catalogue
  // service is ever withdrawn, and the 3 orphans are withdrawn once each.
  SimProcess sim({"--services", "300", "--full", "150", "--integrated", "200", "--orphans", "3"});
  DaemonRun daemon(sim, safety(), "max_requests_per_second = 10000\n");
  sim.set_faults({.p500 = 0.05,
                  .p503 = 0.05,
                  .p_reset = 0.05,
                  .p_apply_reset = 0.05,
                  .p_html = 0.05,
                  .targets = "all"});
  int exit_code = -1;
  for (int run = 1; run <= 40 && exit_code != kOk; ++run) {  // ~1 in 3 runs lists cleanly
    if (run % 3 == 1) sim.tear(1);
    const DaemonResult result = daemon.once();
    exit_code = result.exit_code;
    EXPECT_TRUE(exit_code == kOk || exit_code == 1 || exit_code == kGuardOrListing)
        << describe(result);
    ASSERT_LE(sim.ledger().deletes, 3u) << "run " << run << " withdrew a catalogue service";
  }
  EXPECT_EQ(exit_code, kOk);
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.deletes, 3u);
  EXPECT_EQ(ledger.creates, 100u) << "no catalogue service was withdrawn and put back";
  EXPECT_EQ(ledger.wasted_writes, 0u);
  EXPECT_EQ(sim.coverage().orphaned, 0);
  EXPECT_EQ(sim.coverage().in_sync, 300);
}

}  // namespace
}  // namespace psd::testing
