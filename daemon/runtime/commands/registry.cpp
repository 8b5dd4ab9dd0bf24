#include "daemon/runtime/commands/registry.hpp"

#include <array>
#include <string_view>

#include "daemon/control/commands.hpp"

namespace psd::runtime::commands {
namespace {

struct Binding {
  std::string_view name;
  Handler handler;
};

/// One handler per entry of control::kCommands, in its order.
constexpr std::array kBindings = {
    Binding{"status", &Handlers::status},
    Binding{"resync", &Handlers::resync},
    Binding{"plan", &Handlers::plan},
    Binding{"retry", &Handlers::retry},
    Binding{"pause", &Handlers::pause},
    Binding{"resume", &Handlers::resume},
    Binding{"history", &Handlers::history},
    Binding{"reload", &Handlers::reload},
    Binding{"backup", &Handlers::backup},
    Binding{"codes", &Handlers::codes},
    Binding{"list-commands", &Handlers::list_commands},
};

constexpr bool binds_every_command() {
  if (kBindings.size() != control::kCommands.size()) return false;
  for (std::size_t i = 0; i < kBindings.size(); ++i) {
    // No null check on the handler: `&Handlers::x` is never null (an
    // undeclared one does not compile, an undefined one does not link), and
    // g++ with -fsanitize=undefined does not take a function's address
    // compared with nullptr as a constant expression.
    if (kBindings[i].name != control::kCommands[i].name) return false;
  }
  return true;
}

// A command in the table without a handler would never be answered.
static_assert(binds_every_command(),
              "kBindings must bind one handler to each entry of control::kCommands "
              "(daemon/control/commands.hpp), in its order");

}  // namespace

Handler handler_of(const control::CommandSpec& command) {
  for (const auto& binding : kBindings) {
    if (binding.name == command.name) return binding.handler;
  }
  return nullptr;
}

}  // namespace psd::runtime::commands
