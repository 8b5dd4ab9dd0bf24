// list-commands: the command table and the protocol's result codes.
#include "daemon/control/commands.hpp"
#include "daemon/runtime/commands/handlers.hpp"

namespace psd::runtime::commands {

void Handlers::list_commands(Daemon& daemon, const Call& call) {
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  rapidjson::Value commands(rapidjson::kArrayType);
  for (const auto& command : control::command_table()) {
    rapidjson::Value entry(rapidjson::kObjectType);
    entry.AddMember("name", control::json_string(command.name, alloc), alloc);
    entry.AddMember("args", control::json_string(control::describe_args(command), alloc), alloc);
    entry.AddMember("summary", control::json_string(command.summary, alloc), alloc);
    commands.PushBack(entry, alloc);
  }
  result.AddMember("commands", commands, alloc);
  rapidjson::Value codes(rapidjson::kObjectType);
  using control::ResultCode;
  for (int code = 0; code <= static_cast<int>(ResultCode::not_allowed); ++code) {
    rapidjson::Value name =
        control::json_string(control::to_string(static_cast<ResultCode>(code)), alloc);
    codes.AddMember(name, rapidjson::Value(code), alloc);
  }
  result.AddMember("result_codes", codes, alloc);
  result.AddMember("protocol_version", control::kProtocolVersion, alloc);
  reply(daemon, call, result);
}

}  // namespace psd::runtime::commands
