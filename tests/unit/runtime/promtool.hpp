#pragma once
// promtool (Debian package prometheus) for the tests of what the daemon
// writes for Prometheus; a test that cannot find it is SKIPPED.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/support/external_tool.hpp"

namespace psd::runtime::test {

/// promtool's path; when it is missing, skips the running test and returns
/// nothing (`make promtool` unpacks it from Debian's prometheus package).
inline std::optional<std::string> promtool_or_skip() {
  auto promtool = psd::testing::find_program("promtool");
  if (!promtool) {
    // GTEST_SKIP() returns from a void function only.
    [] {
      GTEST_SKIP() << "promtool not found (`make promtool` unpacks it from Debian's prometheus "
                      "package)";
    }();
  }
  return promtool;
}

/// Run promtool with `args` and expect success, its output containing
/// `says`; SKIPPED when promtool is missing.
inline void expect_promtool_passes(const std::vector<std::string>& args, const std::string& says) {
  const auto promtool = promtool_or_skip();
  if (!promtool) return;
  const psd::testing::ToolResult result = psd::testing::run_tool(*promtool, args);
  EXPECT_EQ(result.exit_code, 0) << result.output();
  EXPECT_NE(result.output().find(says), std::string::npos) << result.output();
}

}  // namespace psd::runtime::test
