#include "daemon/runtime/command_line.hpp"

#include <gtest/gtest.h>

#include "daemon/runtime/plan_printer.hpp"
#include "tests/unit/core/expected_result.hpp"

namespace psd::runtime {
namespace {

CommandLine parsed(const std::vector<std::string>& args) {
  return core::testing::value_or_fail(parse_command_line(args));
}

std::string error_of(const std::vector<std::string>& args) {
  return core::testing::message_or(parse_command_line(args), "");
}

TEST(CommandLine, DefaultsToTheDaemonWithTheSystemConfig) {
  const CommandLine line = parsed({});
  EXPECT_EQ(line.mode, RunMode::daemon);
  EXPECT_EQ(line.config, kDefaultConfigPath);
}

TEST(CommandLine, ReadsEveryOptionInBothSpellings) {
  EXPECT_EQ(parsed({"--config", "/x.toml", "--once"}).config, "/x.toml");
  EXPECT_EQ(parsed({"--config=/y.toml"}).config, "/y.toml");
  EXPECT_EQ(parsed({"--once"}).mode, RunMode::once);
  EXPECT_EQ(parsed({"--once", "--dry-run"}).mode, RunMode::dry_run);
  EXPECT_EQ(parsed({"--log-level", "debug"}).log_level, "debug");
  EXPECT_EQ(parsed({"--log-level=warn"}).log_level, "warn");
  EXPECT_EQ(parsed({"--once", "--help"}).mode, RunMode::help);
  EXPECT_EQ(parsed({"--version"}).mode, RunMode::version);
}

TEST(CommandLine, RefusesWhatItDoesNotKnowAndSaysWhat) {
  EXPECT_EQ(error_of({"--onse"}), "unknown argument '--onse'");
  EXPECT_EQ(error_of({"--config"}), "--config needs a FILE");
  EXPECT_NE(error_of({"--log-level", "loud"}).find("'loud'"), std::string::npos);
}

TEST(CommandLine, HelpDocumentsEveryOptionAndExitCode) {
  const std::string help = help_text();
  for (const char* word : {"--config", "--once", "--dry-run", "--log-level", "--version",
                           "EXIT STATUS", "    3   ", "CREDENTIALS_DIRECTORY"}) {
    EXPECT_NE(help.find(word), std::string::npos) << word;
  }
}

TEST(PlanPrinter, ShowsCountsThenTheFirstItemsOfEachClass) {
  engine::CycleReport report;
  core::Plan plan;
  for (int i = 0; i < 15; ++i) {
    plan.creates.push_back(
        {core::PushKind::create, "C" + std::to_string(100 + i), "sha256:abcdef0123456789"});
  }
  plan.parked.push_back({"P", "sha256:p", "HTTP 422 INVALID_FIELD: name"});
  report.plan = plan;
  report.listed = 16;
  const std::string text = format_plan(report, "H43", 10);
  EXPECT_NE(text.find("create          15"), std::string::npos) << text;
  EXPECT_NE(text.find("create (first 10 of 15):"), std::string::npos) << text;
  EXPECT_NE(text.find("C109"), std::string::npos);
  EXPECT_EQ(text.find("C110"), std::string::npos) << "only the first 10 are listed";
  EXPECT_NE(text.find("HTTP 422 INVALID_FIELD: name"), std::string::npos);
}

}  // namespace
}  // namespace psd::runtime
