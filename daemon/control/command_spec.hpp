#pragma once
// What a control command is, as data: its name, the arguments it takes and
// its help. The table of them is commands.hpp; the daemon binds a handler to
// each entry (daemon/runtime/commands/), portal-syncctl reads the rest.

#include <span>
#include <string_view>

namespace psd::control {

/// The JSON value an argument must hold.
enum class ArgType {
  boolean,   ///< true or false
  text,      ///< a non-empty string
  any_text,  ///< a string, possibly empty
  texts,     ///< an array of non-empty strings
  integer,   ///< an integer in [low, high]; `fallback` when absent
  one_of,    ///< one of `choices`
};

struct ArgSpec {
  std::string_view name;
  ArgType type = ArgType::boolean;
  bool required = false;
  int low = 0;                                     ///< integer only
  int high = 0;                                    ///< integer only
  int fallback = 0;                                ///< integer only: the value when absent
  std::span<const std::string_view> choices = {};  ///< one_of only
};

struct CommandSpec {
  std::string_view name;
  std::span<const ArgSpec> args = {};  ///< the "args" members it takes; no other is accepted
  /// What it takes beside "args", for list-commands (backup's descriptor).
  std::string_view args_note = {};
  std::string_view summary;  ///< list-commands' one line
  /// portal-syncctl --help: the synopsis (lines after the first are
  /// continuation lines) and the paragraph below it.
  std::string_view usage;
  std::string_view help;
};

}  // namespace psd::control
