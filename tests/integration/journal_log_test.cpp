// The real portal-syncd's log lines: syslog priority prefixes and no time
// when $JOURNAL_STREAM names its stderr (as systemd sets it), plain lines
// with the time otherwise.

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <vector>

#include "tests/integration/daemon_run.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/journal_stream.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::testing {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// Run portal-syncd with `args`, its stderr into `log` and JOURNAL_STREAM
/// naming `journal` (the same file or another); return the exit code.
int run_daemon(const std::vector<std::string>& args, const std::string& log,
               const std::string& journal) {
  ChildOptions options;
  options.err = OutputSink::file(log);
  options.env = {"JOURNAL_STREAM=" + journal_stream_of(journal)};
  ChildProcess daemon(PSD_DAEMON_BINARY, args, options);
  const auto code = daemon.wait(std::chrono::seconds(120));
  EXPECT_TRUE(code) << "portal-syncd did not finish in 120 s";
  return code.value_or(-1);
}

class JournalLog : public ::testing::Test {
 protected:
  void SetUp() override {
    // The file exists before the run, so its inode is the one the child writes.
    log_ = dir_.write("stderr.log", "");
  }
  TempDir dir_;
  std::string log_;
};

TEST_F(JournalLog, EveryLineStartsWithItsPriorityAndHasNoTime) {
  SimProcess sim({"--services", "60", "--full", "30", "--integrated", "40", "--reject", "1"});
  DaemonRun daemon(sim);
  EXPECT_EQ(run_daemon({"--config", daemon.config_path().string(), "--once"}, log_, log_), 1);

  const std::vector<std::string> lines = lines_of(dir_.read("stderr.log"));
  ASSERT_FALSE(lines.empty());
  const std::regex journal_line(R"(<[2-7]>[^<].*)");
  const std::regex timestamp(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)");
  bool summary = false;
  bool reject = false;
  for (const std::string& line : lines) {
    EXPECT_TRUE(std::regex_match(line, journal_line)) << line;
    EXPECT_FALSE(std::regex_search(line.substr(0, 30), timestamp)) << "a time in: " << line;
    summary = summary || line.rfind("<6>cycle partial: listed 60", 0) == 0;
    reject = reject || line.rfind("<4>rejected by the national portal: ", 0) == 0;
  }
  EXPECT_TRUE(summary) << "no info summary line";
  EXPECT_TRUE(reject) << "no warning for the rejected service";
}

TEST_F(JournalLog, AConfigurationErrorIsAnErrorLine) {
  const std::string config = dir_.write("bad.toml", "province = 5\n");
  EXPECT_EQ(run_daemon({"--config", config}, log_, log_), 2);
  const std::vector<std::string> lines = lines_of(dir_.read("stderr.log"));
  ASSERT_EQ(lines.size(), 1u) << dir_.read("stderr.log");
  EXPECT_EQ(lines[0].rfind("<3>configuration error: ", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find("province"), std::string::npos) << lines[0];
}

TEST_F(JournalLog, WhenStderrIsNotTheJournalLinesArePlainWithTheTime) {
  const std::string elsewhere = dir_.write("journal-elsewhere", "");
  const std::string config = dir_.write("bad.toml", "province = 5\n");
  EXPECT_EQ(run_daemon({"--config", config}, log_, elsewhere), 2);
  const std::vector<std::string> lines = lines_of(dir_.read("stderr.log"));
  ASSERT_EQ(lines.size(), 1u) << dir_.read("stderr.log");
  const std::regex plain(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d error configuration error: .*)");
  EXPECT_TRUE(std::regex_match(lines[0], plain)) << lines[0];
}

}  // namespace
}  // namespace psd::testing
