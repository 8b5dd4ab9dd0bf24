#include "daemon/runtime/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace psd::runtime {

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("portal-syncd");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

}  // namespace psd::runtime
