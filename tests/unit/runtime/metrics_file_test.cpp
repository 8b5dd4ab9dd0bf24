#include "daemon/runtime/metrics_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/runtime/metrics_sample.hpp"

namespace psd::runtime {
namespace {

using std::chrono::system_clock;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsFile, TextIsExactlyTheGoldenOne) {
  const MetricsSample sample;
  EXPECT_EQ(
      metrics_text(sample.view()),
      R"(# HELP portal_sync_state The daemon's state: 1 for the current one (idle, syncing, backoff, paused, error).
# TYPE portal_sync_state gauge
portal_sync_state{province="H43",state="idle"} 1
portal_sync_state{province="H43",state="syncing"} 0
portal_sync_state{province="H43",state="backoff"} 0
portal_sync_state{province="H43",state="paused"} 0
portal_sync_state{province="H43",state="error"} 0
# HELP portal_sync_coverage_ratio Active catalogue services integrated with the national portal (0..1).
# TYPE portal_sync_coverage_ratio gauge
portal_sync_coverage_ratio{province="H43"} 0.8747779751332149
# HELP portal_sync_level_coverage_ratio Active catalogue services of one level integrated with the national portal (0..1).
# TYPE portal_sync_level_coverage_ratio gauge
portal_sync_level_coverage_ratio{province="H43",level="full"} 0.8591065292096219
portal_sync_level_coverage_ratio{province="H43",level="partial"} 0.8915441176470589
# HELP portal_sync_services Services by state: in_sync, outdated and missing split the active catalogue services; orphaned are on the portal only.
# TYPE portal_sync_services gauge
portal_sync_services{province="H43",state="in_sync"} 980
portal_sync_services{province="H43",state="outdated"} 5
portal_sync_services{province="H43",state="missing"} 141
portal_sync_services{province="H43",state="orphaned"} 2
# HELP portal_sync_queue Work waiting: pending writes (retrying ones included), rejected services parked, invalid catalogue records.
# TYPE portal_sync_queue gauge
portal_sync_queue{province="H43",state="pending"} 2
portal_sync_queue{province="H43",state="retrying"} 1
portal_sync_queue{province="H43",state="rejected"} 3
portal_sync_queue{province="H43",state="invalid"} 4
# HELP portal_sync_pushes_total Writes to the national portal by outcome, since the daemon started.
# TYPE portal_sync_pushes_total counter
portal_sync_pushes_total{province="H43",result="done"} 138
portal_sync_pushes_total{province="H43",result="rejected"} 1
portal_sync_pushes_total{province="H43",result="failed"} 2
# HELP portal_sync_push_requests_total Write requests sent to the national portal, retries included, since the daemon started.
# TYPE portal_sync_push_requests_total counter
portal_sync_push_requests_total{province="H43"} 150
# HELP portal_sync_cycles_total Sync cycles by result, since the daemon started.
# TYPE portal_sync_cycles_total counter
portal_sync_cycles_total{province="H43",result="ok"} 0
portal_sync_cycles_total{province="H43",result="partial"} 1
portal_sync_cycles_total{province="H43",result="failed"} 0
# HELP portal_sync_cycle_duration_seconds How long the last sync cycle took.
# TYPE portal_sync_cycle_duration_seconds gauge
portal_sync_cycle_duration_seconds{province="H43"} 5.25
# HELP portal_sync_last_success_timestamp_seconds When the last cycle whose result was ok finished (Unix time); 0 before the first.
# TYPE portal_sync_last_success_timestamp_seconds gauge
portal_sync_last_success_timestamp_seconds{province="H43"} 1795600800.5
# HELP portal_sync_last_cycle_timestamp_seconds When the last cycle finished, whatever its result (Unix time); 0 before the first.
# TYPE portal_sync_last_cycle_timestamp_seconds gauge
portal_sync_last_cycle_timestamp_seconds{province="H43"} 1795687205.25
# HELP portal_sync_start_time_seconds When the daemon started (Unix time).
# TYPE portal_sync_start_time_seconds gauge
portal_sync_start_time_seconds{province="H43"} 1795680000
# HELP portal_sync_poll_interval_seconds The configured time between two cycles (poll_interval).
# TYPE portal_sync_poll_interval_seconds gauge
portal_sync_poll_interval_seconds{province="H43"} 300
)");
}

TEST(MetricsFile, BeforeTheFirstCycleLeavesCoverageOutAndTheTimesAtZero) {
  MetricsView view;
  view.status.province = "H43";
  view.status.state = DaemonState::syncing;
  view.started_at = system_clock::time_point(std::chrono::seconds(1795680000));
  view.poll_interval = std::chrono::seconds(30);
  const std::string text = metrics_text(view);
  // A coverage of 0 would fire alerts for nothing; no cycle has a duration.
  for (const char* family : {"portal_sync_coverage_ratio", "portal_sync_services",
                             "portal_sync_queue", "portal_sync_cycle_duration_seconds"}) {
    EXPECT_THAT(text, Not(HasSubstr(family)));
  }
  // Always there: the state, the counters, the poll interval and, as the
  // contract says, both times, 0 meaning "never" (the alert rule reads it so).
  for (const char* line : {"portal_sync_last_success_timestamp_seconds{province=\"H43\"} 0\n",
                           "portal_sync_last_cycle_timestamp_seconds{province=\"H43\"} 0\n",
                           "portal_sync_state{province=\"H43\",state=\"syncing\"} 1\n",
                           "portal_sync_pushes_total{province=\"H43\",result=\"done\"} 0\n",
                           "portal_sync_poll_interval_seconds{province=\"H43\"} 30\n"}) {
    EXPECT_THAT(text, HasSubstr(line));
  }
}

TEST(MetricsFile, CoverageOfAnEmptyCatalogueIsZeroNotNaN) {
  MetricsView view;
  view.status.province = "H43";
  view.status.coverage = core::Coverage{};
  const std::string text = metrics_text(view);
  EXPECT_THAT(text, HasSubstr("portal_sync_coverage_ratio{province=\"H43\"} 0\n"));
  EXPECT_THAT(text, Not(HasSubstr("nan")));
}

TEST(MetricsFile, CountersAddUpOverCyclesAndNeverGoDown) {
  const MetricsSample sample;
  MetricsTotals totals;
  totals.add(sample.report);
  engine::CycleReport failed;
  failed.result = state::CycleResult::failed;
  failed.error = "provincial catalogue: torn";
  totals.add(failed);
  totals.add(sample.report);
  EXPECT_EQ(totals.pushes_done, 276u);
  EXPECT_EQ(totals.pushes_rejected, 2u);  // parked earlier ones are not counted again
  EXPECT_EQ(totals.pushes_failed, 4u);
  EXPECT_EQ(totals.push_requests, 300u);
  EXPECT_EQ(totals.cycles_partial, 2u);
  EXPECT_EQ(totals.cycles_failed, 1u);
  EXPECT_EQ(totals.cycles_ok, 0u);
}

TEST(MetricsFile, ProvinceLabelIsEscaped) {
  MetricsView view;
  view.status.province = "a\"b\\c\nd";
  EXPECT_NE(metrics_text(view).find(R"({province="a\"b\\c\nd"})"), std::string::npos);
}

TEST(MetricsFile, ReadsTheTimesStateDbWrites) {
  EXPECT_DOUBLE_EQ(*unix_seconds("1970-01-01T00:00:00.000Z"), 0.0);
  EXPECT_DOUBLE_EQ(*unix_seconds("2024-10-28T02:15:00.250Z"), 1730081700.25);
  EXPECT_DOUBLE_EQ(*unix_seconds("2024-02-29T23:59:59.999Z"), 1709251199.999);
  EXPECT_FALSE(unix_seconds("2024-02-30T00:00:00.000Z"));
  EXPECT_FALSE(unix_seconds("2024-10-28T02:15:00Z"));
  EXPECT_FALSE(unix_seconds("2024-10-28T02:15:00.250+07:00"));
  EXPECT_FALSE(unix_seconds("2024-1x-28T02:15:00.250Z"));
  EXPECT_FALSE(unix_seconds(""));
}

}  // namespace
}  // namespace psd::runtime
