#include "daemon/control/arguments.hpp"

#include <optional>
#include <utility>

namespace psd::control {
namespace {

std::string_view name_of(const rapidjson::Value& name) {
  return {name.GetString(), name.GetStringLength()};
}

const ArgSpec* spec_of(const CommandSpec& command, std::string_view name) {
  for (const auto& arg : command.args) {
    if (arg.name == name) return &arg;
  }
  return nullptr;
}

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string choices_of(const ArgSpec& arg) {
  std::string text;
  for (std::size_t i = 0; i < arg.choices.size(); ++i) {
    if (i > 0) text += i + 1 == arg.choices.size() ? " or " : ", ";
    text += quoted(arg.choices[i]);
  }
  return text;
}

/// What `arg`'s value must be, or nothing when `value` is one.
std::optional<std::string> mismatch(const ArgSpec& arg, const rapidjson::Value& value) {
  switch (arg.type) {
    case ArgType::boolean:
      if (!value.IsBool()) return "a boolean";
      break;
    case ArgType::text:
      if (!value.IsString() || value.GetStringLength() == 0) return "a non-empty string";
      break;
    case ArgType::any_text:
      if (!value.IsString()) return "a string";
      break;
    case ArgType::texts:
      if (!value.IsArray()) return "an array of strings";
      for (const auto& item : value.GetArray()) {
        if (!item.IsString() || item.GetStringLength() == 0) return "an array of non-empty strings";
      }
      break;
    case ArgType::integer:
      if (!value.IsInt() || value.GetInt() < arg.low || value.GetInt() > arg.high) {
        return "an integer from " + std::to_string(arg.low) + " to " + std::to_string(arg.high);
      }
      break;
    case ArgType::one_of:
      for (const auto choice : arg.choices) {
        if (value.IsString() && name_of(value) == choice) return std::nullopt;
      }
      return choices_of(arg);
  }
  return std::nullopt;
}

std::string taken_by(const CommandSpec& command) {
  if (command.args.empty()) return " (" + std::string(command.name) + " takes none)";
  std::string names;
  for (const auto& arg : command.args) names += (names.empty() ? "" : ", ") + std::string(arg.name);
  return " (" + std::string(command.name) + " takes " + names + ")";
}

}  // namespace

tl::expected<Arguments, core::Failure> check_arguments(const CommandSpec& command,
                                                       const rapidjson::Value& args) {
  const auto invalid = [](std::string why) {
    return core::failure(core::FailureKind::invalid, std::move(why));
  };
  for (const auto& member : args.GetObject()) {
    if (!spec_of(command, name_of(member.name))) {
      return invalid("unknown argument " + quoted(name_of(member.name)) + taken_by(command));
    }
  }
  for (const auto& arg : command.args) {
    const auto found = args.FindMember(rapidjson::StringRef(arg.name.data(), arg.name.size()));
    if (found == args.MemberEnd()) {
      if (arg.required) {
        return invalid("missing argument " + quoted(arg.name) +
                       (arg.type == ArgType::one_of ? " (" + choices_of(arg) + ")" : ""));
      }
      continue;
    }
    if (auto what = mismatch(arg, found->value)) {
      return invalid(quoted(arg.name) + " must be " + *what);
    }
  }
  return Arguments(command, args);
}

const rapidjson::Value* Arguments::find(std::string_view name) const {
  const auto found = args_.FindMember(rapidjson::StringRef(name.data(), name.size()));
  return found == args_.MemberEnd() ? nullptr : &found->value;
}

bool Arguments::flag(std::string_view name) const {
  const auto* value = find(name);
  return value && value->IsBool() && value->GetBool();
}

std::string Arguments::text(std::string_view name) const {
  const auto* value = find(name);
  return value && value->IsString() ? std::string(name_of(*value)) : std::string();
}

std::vector<std::string> Arguments::texts(std::string_view name) const {
  std::vector<std::string> values;
  const auto* value = find(name);
  if (!value || !value->IsArray()) return values;
  for (const auto& item : value->GetArray()) {
    if (item.IsString()) values.emplace_back(name_of(item));
  }
  return values;
}

int Arguments::integer(std::string_view name) const {
  const auto* value = find(name);
  if (value && value->IsInt()) return value->GetInt();
  const auto* spec = spec_of(command_, name);
  return spec ? spec->fallback : 0;
}

}  // namespace psd::control
