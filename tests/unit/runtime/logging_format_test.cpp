#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <unistd.h>

#include <regex>
#include <sstream>

#include "daemon/runtime/logging.hpp"
#include "tests/support/journal_stream.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::runtime {
namespace {

using psd::testing::journal_stream_of;

/// A logger writing into `out`, at every level, in `format`.
spdlog::logger logger_into(std::ostringstream& out, LogFormat format) {
  spdlog::logger logger("test", std::make_shared<spdlog::sinks::ostream_sink_st>(out));
  logger.set_level(spdlog::level::trace);
  set_log_format(logger, format);
  return logger;
}

class JournalStream : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.write("stderr.log", "");
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd_, 0);
  }
  void TearDown() override {
    if (fd_ >= 0) ::close(fd_);
  }
  psd::testing::TempDir dir_;
  std::string path_;
  int fd_ = -1;
};

TEST_F(JournalStream, NamesTheFileOnTheDescriptor) {
  EXPECT_EQ(log_format_for(fd_, journal_stream_of(path_).c_str()), LogFormat::journal);
}

TEST_F(JournalStream, InheritedForAnotherFileIsNotTheJournal) {
  const std::string other = dir_.write("other.log", "");
  EXPECT_EQ(log_format_for(fd_, journal_stream_of(other).c_str()), LogFormat::plain);
}

TEST_F(JournalStream, UnsetOrMalformedIsNotTheJournal) {
  const std::string stream = journal_stream_of(path_);
  EXPECT_EQ(log_format_for(fd_, nullptr), LogFormat::plain);
  EXPECT_EQ(log_format_for(fd_, ""), LogFormat::plain);
  EXPECT_EQ(log_format_for(fd_, "journal"), LogFormat::plain);
  EXPECT_EQ(log_format_for(fd_, (stream + "x").c_str()), LogFormat::plain);
  EXPECT_EQ(log_format_for(fd_, stream.substr(0, stream.find(':')).c_str()), LogFormat::plain);
  EXPECT_EQ(log_format_for(-1, stream.c_str()), LogFormat::plain);
}

TEST(LogFormat, JournalLinesStartWithTheSyslogPriorityAndHaveNoTime) {
  std::ostringstream out;
  auto logger = logger_into(out, LogFormat::journal);
  logger.trace("t");
  logger.debug("d");
  logger.info("cycle ok: listed 3");
  logger.warn("w");
  logger.error("configuration error: x");
  logger.critical("c");
  EXPECT_EQ(out.str(),
            "<7>t\n<7>d\n<6>cycle ok: listed 3\n<4>w\n<3>configuration error: x\n<2>c\n");
}

TEST(LogFormat, PlainLinesHaveTheTimeAndTheLevel) {
  std::ostringstream out;
  auto logger = logger_into(out, LogFormat::plain);
  logger.info("cycle ok");
  logger.warn("careful");
  const std::regex line(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d info cycle ok
\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d warning careful
)");
  EXPECT_TRUE(std::regex_match(out.str(), line)) << out.str();
}

TEST(LogFormat, PrioritiesFollowSyslog) {
  EXPECT_EQ(syslog_priority(spdlog::level::critical), 2);
  EXPECT_EQ(syslog_priority(spdlog::level::err), 3);
  EXPECT_EQ(syslog_priority(spdlog::level::warn), 4);
  EXPECT_EQ(syslog_priority(spdlog::level::info), 6);
  EXPECT_EQ(syslog_priority(spdlog::level::debug), 7);
  EXPECT_EQ(syslog_priority(spdlog::level::trace), 7);
}

}  // namespace
}  // namespace psd::runtime
