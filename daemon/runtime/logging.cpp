#include "daemon/runtime/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace psd::runtime {
namespace {

/// The pattern flag %* : the line's syslog priority as sd-daemon(3) reads it.
class PriorityFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm& /*time*/,
              spdlog::memory_buf_t& out) override {
    const char prefix[] = {'<', static_cast<char>('0' + syslog_priority(message.level)), '>'};
    out.append(prefix, prefix + sizeof prefix);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<PriorityFlag>();
  }
};

}  // namespace

LogFormat log_format_for(int fd, const char* journal_stream) {
  if (journal_stream == nullptr) return LogFormat::plain;
  std::uintmax_t device = 0;
  std::uintmax_t inode = 0;
  char rest = 0;
  if (std::sscanf(journal_stream, "%" SCNuMAX ":%" SCNuMAX "%c", &device, &inode, &rest) != 2) {
    return LogFormat::plain;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) return LogFormat::plain;
  return info.st_dev == device && info.st_ino == inode ? LogFormat::journal : LogFormat::plain;
}

int syslog_priority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::critical:
      return 2;
    case spdlog::level::err:
      return 3;
    case spdlog::level::warn:
      return 4;
    case spdlog::level::info:
      return 6;
    default:
      return 7;
  }
}

void set_log_format(spdlog::logger& logger, LogFormat format) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  if (format == LogFormat::journal) {
    formatter->add_flag<PriorityFlag>('*').set_pattern("%*%v");
  } else {
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  }
  logger.set_formatter(std::move(formatter));
}

void setup_logging(const std::string& level) {
  auto logger = std::make_shared<spdlog::logger>("portal-syncd",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
  set_log_format(*logger, log_format_for(STDERR_FILENO, std::getenv("JOURNAL_STREAM")));
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

}  // namespace psd::runtime
