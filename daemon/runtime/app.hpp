#pragma once
// The daemon's driver: configuration, wiring of the parts, the run modes.

#include "daemon/runtime/command_line.hpp"

namespace psd::runtime {

/// Run portal-syncd as `line` says and return its exit code.
int run(const CommandLine& line);

}  // namespace psd::runtime
