#pragma once
// A request's "args" checked against its command's schema (command_spec.hpp),
// then read by name: a handler never sees an argument it did not declare, a
// missing required one, or one of the wrong type.

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "daemon/control/command_spec.hpp"
#include "daemon/core/failure.hpp"

namespace psd::control {

/// The arguments of a request that check_arguments accepted. An absent
/// argument reads as false, "", no strings, or its schema's fallback.
class Arguments {
 public:
  Arguments(const CommandSpec& command, const rapidjson::Value& args)
      : command_(command), args_(args) {}

  bool flag(std::string_view name) const;
  std::string text(std::string_view name) const;
  std::vector<std::string> texts(std::string_view name) const;
  int integer(std::string_view name) const;

 private:
  const rapidjson::Value* find(std::string_view name) const;
  const CommandSpec& command_;
  const rapidjson::Value& args_;
};

/// Return `args` (an object) read as `command`'s arguments, or why they do not
/// fit its schema (invalid), naming the argument: unknown, missing, or of the
/// wrong type or range.
tl::expected<Arguments, core::Failure> check_arguments(const CommandSpec& command,
                                                       const rapidjson::Value& args);

}  // namespace psd::control
