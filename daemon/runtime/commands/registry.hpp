#pragma once
// The control commands' handlers, bound to the table in
// daemon/control/commands.hpp.

#include "daemon/control/command_spec.hpp"
#include "daemon/runtime/commands/handlers.hpp"

namespace psd::runtime::commands {

/// Return the handler bound to `command`, an entry of control::kCommands.
Handler handler_of(const control::CommandSpec& command);

}  // namespace psd::runtime::commands
