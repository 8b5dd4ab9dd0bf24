// The example alert rules (monitoring/portal-syncd.rules.yml): valid for
// promtool, firing as their unit tests expect, and built only on metrics the
// daemon writes. SKIPPED when promtool is missing.

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "daemon/runtime/metrics_file.hpp"
#include "tests/unit/runtime/metrics_sample.hpp"
#include "tests/unit/runtime/promtool.hpp"

namespace psd::runtime {
namespace {

constexpr const char* kRules = PSD_SOURCE_DIR "/monitoring/portal-syncd.rules.yml";
constexpr const char* kRuleTests = PSD_SOURCE_DIR "/monitoring/portal-syncd.rules.test.yml";

std::string read(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::set<std::string> metric_names_in(const std::string& text) {
  static const std::regex name(R"(portal_sync_[a-z_]+)");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), name); it != std::sregex_iterator();
       ++it) {
    names.insert(it->str());
  }
  return names;
}

TEST(AlertRules, PassPromtoolCheckRules) {
  test::expect_promtool_passes({"check", "rules", kRules}, "SUCCESS: 3 rules found");
}

TEST(AlertRules, FireWhenTheirUnitTestsSayAndOnlyThen) {
  test::expect_promtool_passes({"test", "rules", kRuleTests}, "SUCCESS");
}

TEST(AlertRules, UseOnlyMetricsTheDaemonWrites) {
  const std::set<std::string> used = metric_names_in(read(kRules));
  ASSERT_GE(used.size(), 4u);
  const std::string written = metrics_text(MetricsSample().view());
  for (const std::string& name : used) {
    EXPECT_NE(written.find("\n" + name + "{"), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace psd::runtime
