#pragma once
// Logging to stderr with spdlog. Under systemd, stderr is the journal: each
// line then starts with its syslog priority ("<3>" error … "<7>" debug) and
// carries no time (journald adds its own); elsewhere lines are plain text
// with the time and the level.

#include <spdlog/logger.h>

#include <string>

namespace psd::runtime {

enum class LogFormat {
  plain,    ///< "2024-10-28T09:15:00.250+07:00 info message"
  journal,  ///< "<6>message"
};

/// Return LogFormat::journal when `journal_stream` (the value of
/// $JOURNAL_STREAM, "DEVICE:INODE") names the file open on `fd`, else plain.
/// systemd sets it for a service whose stderr is the journal; a child whose
/// stderr was redirected elsewhere inherits the variable but not the file.
LogFormat log_format_for(int fd, const char* journal_stream);

/// Return the syslog priority of `level`: critical 2, error 3, warn 4,
/// info 6, debug and trace 7.
int syslog_priority(spdlog::level::level_enum level);

/// Give `logger` the line format of `format`.
void set_log_format(spdlog::logger& logger, LogFormat format);

/// Send spdlog's default logger to stderr at `level` ("info", "debug", …),
/// in the format log_format_for(stderr, $JOURNAL_STREAM) picks.
void setup_logging(const std::string& level);

}  // namespace psd::runtime
