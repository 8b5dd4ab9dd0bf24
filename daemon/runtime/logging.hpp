#pragma once

#include <string>

namespace psd::runtime {

/// Send spdlog's default logger to stderr at `level` ("info", "debug", …).
void setup_logging(const std::string& level);

}  // namespace psd::runtime
