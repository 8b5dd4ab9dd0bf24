#include "daemon/control/protocol.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <utility>

namespace psd::control {
namespace {

constexpr std::array<std::pair<ResultCode, std::string_view>, 7> kCodes = {{
    {ResultCode::ok, "ok"},
    {ResultCode::bad_request, "bad_request"},
    {ResultCode::unknown_command, "unknown_command"},
    {ResultCode::invalid_argument, "invalid_argument"},
    {ResultCode::refused, "refused"},
    {ResultCode::failed, "failed"},
    {ResultCode::not_allowed, "not_allowed"},
}};

}  // namespace

std::string_view to_string(ResultCode code) {
  for (const auto& [value, word] : kCodes) {
    if (value == code) return word;
  }
  return "failed";
}

std::optional<ResultCode> result_code_from_string(std::string_view word) {
  for (const auto& [value, name] : kCodes) {
    if (name == word) return value;
  }
  return std::nullopt;
}

rapidjson::Value json_string(std::string_view text, Allocator& alloc) {
  return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), alloc);
}

rapidjson::Value json_strings(const std::vector<std::string>& texts, Allocator& alloc) {
  rapidjson::Value array(rapidjson::kArrayType);
  for (const auto& text : texts) array.PushBack(json_string(text, alloc), alloc);
  return array;
}

tl::expected<Request, BadRequest> parse_request(std::string_view line) {
  Request out;
  const auto bad = [&out](std::string why) {
    return tl::unexpected(BadRequest{out.id, {core::FailureKind::invalid, std::move(why)}});
  };
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(line.data(), line.size());
  if (document.HasParseError()) return bad("the request is not valid JSON");
  if (!document.IsObject()) return bad("the request is not a JSON object");
  const auto id = document.FindMember("id");
  if (id != document.MemberEnd()) {
    if (!id->value.IsInt64()) return bad("\"id\" must be an integer");
    out.id = id->value.GetInt64();
  }
  const auto command = document.FindMember("command");
  if (command == document.MemberEnd() || !command->value.IsString()) {
    return bad("the request has no \"command\" string");
  }
  out.command.assign(command->value.GetString(), command->value.GetStringLength());
  out.args.SetObject();
  const auto args = document.FindMember("args");
  if (args != document.MemberEnd()) {
    if (!args->value.IsObject()) return bad("\"args\" must be an object");
    out.args.CopyFrom(args->value, out.args.GetAllocator());
  }
  return out;
}

std::string to_line(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

std::string hello_line(std::string_view daemon_version, std::string_view province) {
  rapidjson::Document hello(rapidjson::kObjectType);
  auto& alloc = hello.GetAllocator();
  hello.AddMember("type", "hello", alloc);
  hello.AddMember("protocol", json_string(kProtocolName, alloc), alloc);
  hello.AddMember("version", kProtocolVersion, alloc);
  hello.AddMember("daemon_version", json_string(daemon_version, alloc), alloc);
  hello.AddMember("province", json_string(province, alloc), alloc);
  return to_line(hello);
}

std::string reply_line(std::int64_t id, const rapidjson::Value& result) {
  rapidjson::Document reply(rapidjson::kObjectType);
  auto& alloc = reply.GetAllocator();
  reply.AddMember("type", "reply", alloc);
  reply.AddMember("id", id, alloc);
  reply.AddMember("code", static_cast<int>(ResultCode::ok), alloc);
  reply.AddMember("status", "ok", alloc);
  rapidjson::Value copy(result, alloc);
  reply.AddMember("result", copy, alloc);
  return to_line(reply);
}

std::string error_line(std::int64_t id, ResultCode code, std::string_view error) {
  rapidjson::Document reply(rapidjson::kObjectType);
  auto& alloc = reply.GetAllocator();
  reply.AddMember("type", "reply", alloc);
  if (id < 0) {
    reply.AddMember("id", rapidjson::Value(), alloc);
  } else {
    reply.AddMember("id", id, alloc);
  }
  reply.AddMember("code", static_cast<int>(code), alloc);
  reply.AddMember("status", json_string(to_string(code), alloc), alloc);
  reply.AddMember("error", json_string(error, alloc), alloc);
  return to_line(reply);
}

}  // namespace psd::control
