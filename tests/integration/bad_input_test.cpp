// Bad input through the real portal-syncd: a bad page fails the cycle with
// exit 3 and one line in last_cycle.error naming the source, URL and page;
// nothing is pushed from it, and the next healthy cycle syncs everything.

#include <gtest/gtest.h>

#include "tests/integration/daemon_run.hpp"

namespace psd::testing {
namespace {

constexpr int kOk = 0, kListingFailed = 3;
/// Tries of one page: a bad body is tried again (it may be a passing gateway
/// page), so a fault that lasts is armed this many times.
constexpr int kPageTries = 5;

void expect_failed_cycle(const DaemonRun& daemon, const DaemonResult& result,
                         const std::vector<std::string>& named) {
  EXPECT_EQ(result.exit_code, kListingFailed) << describe(result);
  const auto status = daemon.status();
  EXPECT_STREQ(status["last_cycle"]["result"].GetString(), "failed");
  ASSERT_TRUE(status["last_cycle"]["error"].IsString());
  const std::string error = status["last_cycle"]["error"].GetString();
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  for (const std::string& part : named) {
    EXPECT_NE(error.find(part), std::string::npos) << error << "\nshould name " << part;
    EXPECT_NE(result.err.find(part), std::string::npos) << "the log names " << part;
  }
}

TEST(BadInput, InvalidUtf8InTheCatalogueFailsTheCycleAndTheNextOneSyncs) {
  SimProcess sim({"--services", "300", "--full", "150", "--integrated", "200"});
  DaemonRun daemon(sim, "", "max_requests_per_second = 10000\n");
  sim.fail({.target = "catalogue", .status = 200, .count = kPageTries, .body = "bad_utf8"});
  const DaemonResult failed = daemon.once();
  expect_failed_cycle(daemon, failed,
                      {"provincial catalogue", sim.provincial_url() + "/services?page=1", "page 1",
                       "not valid JSON"});
  EXPECT_EQ(sim.ledger().puts, 0u) << "nothing is pushed from a failed listing";

  const DaemonResult healthy = daemon.once();
  EXPECT_EQ(healthy.exit_code, kOk) << describe(healthy);
  EXPECT_EQ(sim.coverage().in_sync, 300);
  EXPECT_EQ(sim.ledger().wasted_writes, 0u);
}

TEST(BadInput, ACataloguePageOfTheWrongShapeFailsTheCycle) {
  SimProcess sim({"--services", "300", "--full", "150", "--integrated", "200"});
  DaemonRun daemon(sim);
  sim.fail({.target = "catalogue", .status = 200, .count = kPageTries, .body = "bad_shape"});
  const DaemonResult result = daemon.once();
  expect_failed_cycle(daemon, result, {"provincial catalogue", "page 1", "not a catalogue page"});
  EXPECT_EQ(sim.ledger().puts, 0u);
}

TEST(BadInput, AFailingNationalListingFailsTheCycleNamingItsPage) {
  SimProcess sim({"--services", "300", "--full", "150", "--integrated", "200"});
  DaemonRun daemon(sim);
  sim.fail({.target = "list", .status = 500, .count = 1000});
  const DaemonResult result = daemon.once();
  expect_failed_cycle(daemon, result,
                      {"national portal", sim.national_url() + "/provinces/H43/services",
                       "listing page 1", "HTTP 500"});
  EXPECT_EQ(sim.ledger().puts, 0u);
}

TEST(BadInput, AnHtmlPageFromEitherPortalFailsTheCycleAndNothingIsLost) {
  SimProcess sim({"--services", "300", "--full", "150", "--integrated", "200", "--orphans", "3"});
  DaemonRun daemon(sim, "[safety]\nwithdraw_removed = true\n", "max_requests_per_second = 10000\n");
  for (const char* target : {"list", "catalogue"}) {
    SCOPED_TRACE(target);
    sim.set_faults({.p_html = 1.0, .targets = target});
    const DaemonResult failed = daemon.once();
    expect_failed_cycle(
        daemon, failed,
        {target == std::string("list") ? "national portal: GET " : "provincial catalogue: GET ",
         "page 1", "HTML page"});
    EXPECT_EQ(sim.ledger().puts, 0u);
    EXPECT_EQ(sim.ledger().delete_requests, 0u);
  }
  sim.set_faults({.p_html = 0.0});
  const DaemonResult result = daemon.once();
  EXPECT_EQ(result.exit_code, kOk) << describe(result);
  EXPECT_EQ(sim.coverage().in_sync, 300);
  EXPECT_EQ(sim.ledger().deletes, 3u)
      << "3 of 303: a small withdrawal, once the listings are sound";
}

}  // namespace
}  // namespace psd::testing
