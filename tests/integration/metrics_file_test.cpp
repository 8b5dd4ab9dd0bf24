// The real portal-syncd writes the metrics file named by `metrics_file`, and
// its numbers agree with portal-sim's own count and ledger.

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "tests/integration/daemon_run.hpp"
#include "tests/support/external_tool.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::testing {
namespace {

/// Every sample of a Prometheus text file: "name{labels}" → value.
std::map<std::string, double> samples_of(const std::string& text) {
  std::map<std::string, double> samples;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

std::string describe(const DaemonResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\n--- stderr\n" + result.err;
}

class MetricsFileRun : public ::testing::Test {
 protected:
  std::string metrics_toml() const { return "metrics_file = \"" + metrics_path() + "\"\n"; }
  std::string metrics_path() const { return dir_.file("textfile/portal-syncd-h43.prom"); }
  std::map<std::string, double> samples() const {
    return samples_of(dir_.read("textfile/portal-syncd-h43.prom"));
  }

  TempDir dir_;
};

TEST_F(MetricsFileRun, OnceWithRejectsAndOrphansCountsWhatTheSimulatorSaw) {
  SimProcess sim({"--services", "200", "--full", "120", "--integrated", "150", "--stale", "5",
                  "--reject", "2", "--orphans", "1", "--invalid", "1"});
  DaemonRun daemon(sim, metrics_toml());
  const DaemonResult result = daemon.once();
  ASSERT_EQ(result.exit_code, 1) << describe(result);  // rejected services are not in sync

  const SimCoverage coverage = sim.coverage();
  const SimLedger ledger = sim.ledger();
  auto m = samples();
  const std::string h43 = "province=\"H43\"";
  EXPECT_DOUBLE_EQ(
      m["portal_sync_coverage_ratio{" + h43 + "}"],
      static_cast<double>(coverage.integrated) / static_cast<double>(coverage.total_active));
  EXPECT_EQ(m["portal_sync_services{" + h43 + ",state=\"in_sync\"}"], coverage.in_sync);
  EXPECT_EQ(m["portal_sync_services{" + h43 + ",state=\"missing\"}"],
            coverage.total_active - coverage.integrated);
  EXPECT_EQ(m["portal_sync_services{" + h43 + ",state=\"orphaned\"}"], 1);
  EXPECT_EQ(m["portal_sync_queue{" + h43 + ",state=\"rejected\"}"], 2);
  EXPECT_EQ(m["portal_sync_queue{" + h43 + ",state=\"invalid\"}"], 1);
  EXPECT_EQ(m["portal_sync_pushes_total{" + h43 + ",result=\"done\"}"],
            ledger.creates + ledger.updates);
  EXPECT_EQ(ledger.creates + ledger.updates, 48u + 5u);
  EXPECT_EQ(m["portal_sync_pushes_total{" + h43 + ",result=\"rejected\"}"], ledger.rejections);
  EXPECT_EQ(m["portal_sync_pushes_total{" + h43 + ",result=\"failed\"}"], 0);
  EXPECT_EQ(m["portal_sync_push_requests_total{" + h43 + "}"], ledger.puts);
  EXPECT_EQ(m["portal_sync_cycles_total{" + h43 + ",result=\"partial\"}"], 1);
  EXPECT_EQ(m["portal_sync_state{" + h43 + ",state=\"idle\"}"], 1);
  EXPECT_EQ(m.count("portal_sync_cycle_duration_seconds{" + h43 + "}"), 1u);
  // No cycle has ever been ok: no success time rather than 1970.
  EXPECT_EQ(m.count("portal_sync_last_success_timestamp_seconds{" + h43 + "}"), 0u);
}

TEST_F(MetricsFileRun, ACleanRunReportsFullCoverageAndItsSuccessTime) {
  SimProcess sim({"--services", "100", "--full", "50", "--integrated", "60"});
  DaemonRun daemon(sim, metrics_toml());
  const DaemonResult result = daemon.once();
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  auto m = samples();
  const std::string h43 = "province=\"H43\"";
  EXPECT_EQ(m["portal_sync_coverage_ratio{" + h43 + "}"], 1.0);
  EXPECT_EQ(m["portal_sync_level_coverage_ratio{" + h43 + ",level=\"full\"}"], 1.0);
  EXPECT_EQ(m["portal_sync_cycles_total{" + h43 + ",result=\"ok\"}"], 1);
  EXPECT_EQ(m["portal_sync_pushes_total{" + h43 + ",result=\"done\"}"], 40);
  const double success = m["portal_sync_last_success_timestamp_seconds{" + h43 + "}"];
  const double started = m["portal_sync_start_time_seconds{" + h43 + "}"];
  EXPECT_GE(success, started);
  EXPECT_LT(success - started, 600) << "the success is this run's";
  EXPECT_EQ(m["portal_sync_poll_interval_seconds{" + h43 + "}"], 300);
  EXPECT_TRUE(daemon.status()["last_success_at"].IsString());
}

TEST_F(MetricsFileRun, TheDaemonsFilePassesPromtool) {
  const auto promtool = find_program("promtool");
  if (!promtool) GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
  SimProcess sim({"--services", "50", "--full", "20", "--integrated", "30", "--reject", "1"});
  DaemonRun daemon(sim, metrics_toml());
  daemon.once();
  const ToolResult check = run_tool(*promtool, {"check", "metrics"}, metrics_path());
  EXPECT_EQ(check.exit_code, 0) << check.output();
  EXPECT_EQ(check.output(), "");
}

}  // namespace
}  // namespace psd::testing
