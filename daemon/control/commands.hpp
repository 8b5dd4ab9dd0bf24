#pragma once
// The control socket's commands: names, arguments and what each does. The
// daemon dispatches on these names; `list-commands` returns this table.

#include <span>
#include <string_view>

namespace psd::control {

struct CommandInfo {
  std::string_view name;
  std::string_view args;  ///< the "args" members it takes, as documentation
  std::string_view summary;
};

/// Every command the daemon answers, in the order list-commands shows them.
std::span<const CommandInfo> command_table();

/// Return the command named `name`, or nullptr.
const CommandInfo* find_command(std::string_view name);

}  // namespace psd::control
