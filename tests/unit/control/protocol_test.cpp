#include "daemon/control/protocol.hpp"

#include <gtest/gtest.h>

#include <set>

#include "daemon/control/commands.hpp"

namespace psd::control {
namespace {

rapidjson::Document parse(const std::string& line) {
  rapidjson::Document document;
  document.Parse(line.c_str());
  EXPECT_FALSE(document.HasParseError()) << line;
  return document;
}

TEST(Protocol, ParsesARequestWithIdCommandAndArgs) {
  const auto parsed = parse_request(R"({"id":7,"command":"resync","args":{"full":true}})");
  ASSERT_TRUE(parsed) << parsed.error().failure.message;
  const Request& request = *parsed;
  EXPECT_EQ(request.id, 7);
  EXPECT_EQ(request.command, "resync");
  EXPECT_TRUE(request.args["full"].GetBool());
}

TEST(Protocol, ArgsDefaultToAnEmptyObject) {
  const auto parsed = parse_request(R"({"command":"status"})");
  ASSERT_TRUE(parsed) << parsed.error().failure.message;
  const Request& request = *parsed;
  EXPECT_TRUE(request.args.IsObject());
  EXPECT_TRUE(request.args.ObjectEmpty());
}

TEST(Protocol, SaysWhatIsWrongWithABadRequest) {
  const auto reason = [](std::string_view line) {
    const auto parsed = parse_request(line);
    return parsed ? std::string("(a request)") : parsed.error().failure.message;
  };
  EXPECT_EQ(reason("status"), "the request is not valid JSON");
  EXPECT_EQ(reason("[1]"), "the request is not a JSON object");
  EXPECT_EQ(reason(R"({"id":1})"), "the request has no \"command\" string");
  EXPECT_EQ(reason(R"({"id":"x","command":"status"})"), "\"id\" must be an integer");
  EXPECT_EQ(reason(R"({"command":"status","args":[]})"), "\"args\" must be an object");
  EXPECT_EQ(reason("{\"command\":\"\xff\"}"), "the request is not valid JSON");
  // The reply to a bad request carries its id when it had a readable one.
  EXPECT_EQ(parse_request(R"({"id":9,"command":"status","args":[]})").error().id, 9);
}

TEST(Protocol, ResultCodesAreFixedAndRoundTrip) {
  EXPECT_EQ(static_cast<int>(ResultCode::ok), 0);
  EXPECT_EQ(static_cast<int>(ResultCode::bad_request), 1);
  EXPECT_EQ(static_cast<int>(ResultCode::unknown_command), 2);
  EXPECT_EQ(static_cast<int>(ResultCode::invalid_argument), 3);
  EXPECT_EQ(static_cast<int>(ResultCode::refused), 4);
  EXPECT_EQ(static_cast<int>(ResultCode::failed), 5);
  EXPECT_EQ(static_cast<int>(ResultCode::not_allowed), 6);
  for (int code = 0; code <= 6; ++code) {
    const auto word = to_string(static_cast<ResultCode>(code));
    EXPECT_EQ(result_code_from_string(word), static_cast<ResultCode>(code)) << word;
  }
  EXPECT_FALSE(result_code_from_string("nope"));
}

TEST(Protocol, RepliesAndGreetingAreSingleJsonLines) {
  rapidjson::Document result(rapidjson::kObjectType);
  result.AddMember("cycle", 3, result.GetAllocator());
  const std::string ok = reply_line(9, result);
  EXPECT_EQ(ok.find('\n'), std::string::npos);
  const auto reply = parse(ok);
  EXPECT_STREQ(reply["type"].GetString(), "reply");
  EXPECT_EQ(reply["id"].GetInt(), 9);
  EXPECT_EQ(reply["code"].GetInt(), 0);
  EXPECT_EQ(reply["result"]["cycle"].GetInt(), 3);

  const auto error = parse(error_line(-1, ResultCode::not_allowed, "uid 5 \"x\"\nno"));
  EXPECT_TRUE(error["id"].IsNull());
  EXPECT_EQ(error["code"].GetInt(), 6);
  EXPECT_STREQ(error["status"].GetString(), "not_allowed");
  EXPECT_STREQ(error["error"].GetString(), "uid 5 \"x\"\nno");

  const auto hello = parse(hello_line("0.1.0", "H43"));
  EXPECT_STREQ(hello["protocol"].GetString(), "portal-syncd-control");
  EXPECT_EQ(hello["version"].GetInt(), kProtocolVersion);
}

TEST(CommandTable, ListsEveryCommandOnce) {
  std::set<std::string_view> names;
  for (const auto& command : command_table()) {
    EXPECT_TRUE(names.insert(command.name).second) << command.name;
    EXPECT_FALSE(command.summary.empty()) << command.name;
    EXPECT_EQ(find_command(command.name), &command);
  }
  EXPECT_EQ(names.size(), 11u);
  EXPECT_EQ(find_command("frobnicate"), nullptr);
}

}  // namespace
}  // namespace psd::control
