#include "daemon/control/commands.hpp"

#include <array>

namespace psd::control {
namespace {

constexpr std::array kCommands = {
    CommandInfo{"status", "", "the daemon's state, coverage, queue, last cycle and progress"},
    CommandInfo{"resync", "full: bool, services: [string], agency: string, wait: bool",
                "start a cycle now (after the running one); full re-lists both sides; "
                "services/agency limit the pushes; wait streams progress and the result"},
    CommandInfo{"plan", "", "read both sides and return what the next cycle would do (no write)"},
    CommandInfo{"retry", "services: [string], rejected: bool, failed: bool",
                "re-queue parked pushes (all when no argument) and start a cycle"},
    CommandInfo{"pause", "", "stop the running cycle's pushes and start no cycle until resume"},
    CommandInfo{"resume", "", "leave pause and start a cycle now"},
    CommandInfo{"history", "limit: int (1-1000, default 10)",
                "the most recent cycles, newest first"},
    CommandInfo{"reload", "", "re-read the configuration file and secrets (as SIGHUP does)"},
    CommandInfo{"backup", "(a file descriptor passed with the request, SCM_RIGHTS)",
                "write a consistent, integrity-checked copy of state.db into the passed file "
                "(portal-syncctl backup FILE); runs beside a cycle"},
    CommandInfo{"codes",
                "kind: \"services\" | \"agencies\", prefix: string, limit: int "
                "(1-10000, default 1000)",
                "service or agency codes of the last complete catalogue listing that start "
                "with prefix, sorted (for shell completion)"},
    CommandInfo{"list-commands", "", "this table"},
};

}  // namespace

std::span<const CommandInfo> command_table() { return kCommands; }

const CommandInfo* find_command(std::string_view name) {
  for (const auto& command : kCommands) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

}  // namespace psd::control
