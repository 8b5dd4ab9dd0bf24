// `promtool check metrics` (Debian package prometheus) on the metrics file:
// it must pass with no warning at all. SKIPPED when promtool is missing.

#include <gtest/gtest.h>

#include "daemon/runtime/metrics_file.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/runtime/metrics_sample.hpp"
#include "tests/unit/runtime/promtool.hpp"

namespace psd::runtime {
namespace {

using psd::testing::ToolResult;

class PromtoolMetrics : public ::testing::Test {
 protected:
  void SetUp() override { promtool_ = test::promtool_or_skip(); }

  ToolResult check(const std::string& text) {
    const std::string path = dir_.write("portal-syncd.prom", text);
    return psd::testing::run_tool(*promtool_, {"check", "metrics"}, path);
  }

  std::optional<std::string> promtool_;
  psd::testing::TempDir dir_;
};

TEST_F(PromtoolMetrics, AFullFilePassesWithNoWarning) {
  const MetricsSample sample;
  const ToolResult result = check(metrics_text(sample.view()));
  EXPECT_EQ(result.exit_code, 0) << result.output();
  EXPECT_EQ(result.output(), "");
}

TEST_F(PromtoolMetrics, TheFileBeforeTheFirstCyclePassesWithNoWarning) {
  MetricsView view;
  view.status.province = "H43";
  view.status.state = DaemonState::syncing;
  const ToolResult result = check(metrics_text(view));
  EXPECT_EQ(result.exit_code, 0) << result.output();
  EXPECT_EQ(result.output(), "");
}

// The check above can fail: promtool does report what it dislikes.
TEST_F(PromtoolMetrics, ReportsACounterWithoutTotalSuffix) {
  const ToolResult result = check("# TYPE portal_sync_pushes counter\nportal_sync_pushes 1\n");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output().find("_total"), std::string::npos) << result.output();
}

}  // namespace
}  // namespace psd::runtime
