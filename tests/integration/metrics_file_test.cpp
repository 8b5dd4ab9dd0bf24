// The real portal-syncd writes the metrics file named by `metrics_file`, and
// its numbers agree with portal-sim's own count and ledger.

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "tests/integration/daemon_run.hpp"
#include "tests/support/external_tool.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

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

  const sim::Coverage coverage = sim.coverage();
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
  // No cycle has ever been ok (a parked reject): the series is there, at 0.
  ASSERT_EQ(m.count("portal_sync_last_success_timestamp_seconds{" + h43 + "}"), 1u);
  EXPECT_EQ(m["portal_sync_last_success_timestamp_seconds{" + h43 + "}"], 0);
  EXPECT_GE(m["portal_sync_last_cycle_timestamp_seconds{" + h43 + "}"],
            m["portal_sync_start_time_seconds{" + h43 + "}"])
      << "the partial cycle's end";
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
  EXPECT_EQ(m["portal_sync_last_cycle_timestamp_seconds{" + h43 + "}"], success)
      << "the last cycle is the successful one";
  EXPECT_EQ(m["portal_sync_poll_interval_seconds{" + h43 + "}"], 300);
  EXPECT_TRUE(daemon.status()["last_success_at"].IsString());
}

TEST_F(MetricsFileRun, TheDaemonsFilePassesPromtool) {
  const auto promtool = find_program("promtool");
  if (!promtool)
    GTEST_SKIP()
        << "promtool not found (`make promtool` unpacks it from Debian's prometheus package)";
  SimProcess sim({"--services", "50", "--full", "20", "--integrated", "30", "--reject", "1"});
  DaemonRun daemon(sim, metrics_toml());
  daemon.once();
  const ToolResult check = run_tool(*promtool, {"check", "metrics"}, metrics_path());
  EXPECT_EQ(check.exit_code, 0) << check.output();
  EXPECT_EQ(check.output(), "");
}

// In daemon mode the counters add up over the cycles of one process and
// never go down, and a reader never sees a partial file.
TEST_F(MetricsFileRun, CountersOnlyGrowOverTheCyclesOfOneDaemon) {
  SimProcess sim({"--services", "50", "--full", "20", "--integrated", "30"});
  DaemonRun daemon(sim, metrics_toml() + "poll_interval = \"1s\"\n");
  ChildProcess process(PSD_DAEMON_BINARY, {"--config", daemon.config_path().string()});
  const std::string h43 = "province=\"H43\"";
  const std::string done = "portal_sync_pushes_total{" + h43 + ",result=\"done\"}";
  const std::string requests = "portal_sync_push_requests_total{" + h43 + "}";
  const auto cycles = [&](const std::map<std::string, double>& m) {
    double sum = 0;
    for (const char* result : {"ok", "partial", "failed"}) {
      const auto it = m.find("portal_sync_cycles_total{" + h43 + ",result=\"" + result + "\"}");
      sum += it == m.end() ? 0 : it->second;
    }
    return sum;
  };
  std::map<std::string, double> last;
  // Read the file as monitoring would; check it whole and no counter lower.
  const auto observe = [&] {
    std::string text;
    try {
      text = dir_.read("textfile/portal-syncd-h43.prom");
    } catch (const std::exception&) {
      return std::map<std::string, double>{};  // not written yet
    }
    EXPECT_NE(text.find("portal_sync_poll_interval_seconds{" + h43 + "} 1\n"), std::string::npos)
        << "a partial file:\n"
        << text;
    auto now = samples_of(text);
    for (const auto& [name, value] : now) {
      if (name.find("_total{") != std::string::npos && last.count(name) != 0) {
        EXPECT_GE(value, last[name]) << name << " went down";
      }
    }
    last = now;
    return now;
  };
  ASSERT_TRUE(eventually([&] { return observe()[done] == 20; }, std::chrono::seconds(60)))
      << process.stderr_text();
  const double cycles_before = cycles(last);
  const double requests_before = last[requests];
  const std::vector<std::string> edited = sim.edit(3);
  ASSERT_EQ(edited.size(), 3u);
  ASSERT_TRUE(eventually([&] { return observe()[done] == 23; }, std::chrono::seconds(60)))
      << process.stderr_text();
  EXPECT_GT(cycles(last), cycles_before);
  EXPECT_EQ(last[requests], requests_before + 3);
  EXPECT_EQ(last[done], static_cast<double>(sim.ledger().creates + sim.ledger().updates));
  EXPECT_EQ(process.terminate(std::chrono::seconds(30)), 0) << process.stderr_text();
}

}  // namespace
}  // namespace psd::testing
