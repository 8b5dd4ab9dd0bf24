#include "daemon/control/commands.hpp"

namespace psd::control {
namespace {

std::string describe(const ArgSpec& arg) {
  switch (arg.type) {
    case ArgType::boolean:
      return "bool";
    case ArgType::text:
    case ArgType::any_text:
      return "string";
    case ArgType::texts:
      return "[string]";
    case ArgType::integer:
      return "int (" + std::to_string(arg.low) + "-" + std::to_string(arg.high) + ", default " +
             std::to_string(arg.fallback) + ")";
    case ArgType::one_of: {
      std::string text;
      for (const auto choice : arg.choices) {
        text += (text.empty() ? "\"" : " | \"") + std::string(choice) + "\"";
      }
      return text;
    }
  }
  return "";
}

}  // namespace

std::span<const CommandSpec> command_table() { return kCommands; }

const CommandSpec* find_command(std::string_view name) {
  for (const auto& command : kCommands) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

std::string describe_args(const CommandSpec& command) {
  std::string text(command.args_note);
  for (const auto& arg : command.args) {
    if (!text.empty()) text += ", ";
    text += std::string(arg.name) + ": " + describe(arg);
  }
  return text;
}

}  // namespace psd::control
