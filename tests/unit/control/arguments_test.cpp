// A request's arguments checked against its command's schema, and the
// schema's text in list-commands.
#include "daemon/control/arguments.hpp"

#include <gtest/gtest.h>

#include "daemon/control/commands.hpp"

namespace psd::control {
namespace {

const CommandSpec& command(std::string_view name) {
  const CommandSpec* found = find_command(name);
  EXPECT_NE(found, nullptr) << name;
  return *found;
}

rapidjson::Document json(const char* text) {
  rapidjson::Document document;
  document.Parse(text);
  EXPECT_FALSE(document.HasParseError()) << text;
  return document;
}

std::string problem(std::string_view name, const char* args) {
  const auto checked = check_arguments(command(name), json(args));
  return checked ? "(accepted)" : checked.error().message;
}

TEST(Arguments, AnUnknownArgumentIsRefusedByNameForEveryCommand) {
  for (const auto& each : command_table()) {
    const auto checked = check_arguments(each, json(R"({"bogus":1})"));
    ASSERT_FALSE(checked.has_value()) << each.name;
    const std::string& why = checked.error().message;
    EXPECT_EQ(checked.error().kind, core::FailureKind::invalid) << why;
    EXPECT_NE(why.find("unknown argument \"bogus\""), std::string::npos) << why;
    EXPECT_NE(why.find(std::string(each.name)), std::string::npos) << why;
  }
  EXPECT_EQ(problem("plan", R"({"full":true})"), "unknown argument \"full\" (plan takes none)");
  EXPECT_EQ(problem("history", R"({"limt":5})"), "unknown argument \"limt\" (history takes limit)");
}

TEST(Arguments, AMissingRequiredArgumentIsNamed) {
  EXPECT_EQ(problem("codes", "{}"), R"(missing argument "kind" ("services" or "agencies"))");
}

TEST(Arguments, ABadlyTypedArgumentIsNamedWithWhatItMustBe) {
  EXPECT_EQ(problem("resync", R"({"full":"yes"})"), R"("full" must be a boolean)");
  EXPECT_EQ(problem("resync", R"({"agency":""})"), R"("agency" must be a non-empty string)");
  EXPECT_EQ(problem("resync", R"({"services":"A"})"), R"("services" must be an array of strings)");
  EXPECT_EQ(problem("retry", R"({"services":["A",""]})"),
            R"("services" must be an array of non-empty strings)");
  EXPECT_EQ(problem("history", R"({"limit":"ten"})"),
            R"("limit" must be an integer from 1 to 1000)");
  EXPECT_EQ(problem("history", R"({"limit":1001})"),
            R"("limit" must be an integer from 1 to 1000)");
  EXPECT_EQ(problem("codes", R"({"kind":"people"})"), R"("kind" must be "services" or "agencies")");
  EXPECT_EQ(problem("codes", R"({"kind":"services","prefix":7})"), R"("prefix" must be a string)");
}

TEST(Arguments, AcceptedArgumentsReadWithTheSchemasFallbacks) {
  EXPECT_EQ(problem("resync", R"({"full":true,"services":["A","B"],"agency":"X","wait":false})"),
            "(accepted)");
  const auto args = json(R"({"kind":"agencies","prefix":""})");
  const auto read = check_arguments(command("codes"), args);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->text("kind"), "agencies");
  EXPECT_EQ(read->text("prefix"), "");
  EXPECT_EQ(read->integer("limit"), 1000);
  const auto resync = json(R"({"services":["A","B"],"wait":true})");
  const Arguments flags(command("resync"), resync);
  EXPECT_TRUE(flags.flag("wait"));
  EXPECT_FALSE(flags.flag("full"));
  EXPECT_EQ(flags.texts("services"), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(flags.text("agency"), "");
}

TEST(Arguments, ListCommandsDescribesEachSchemaAsBefore) {
  EXPECT_EQ(describe_args(command("status")), "");
  EXPECT_EQ(describe_args(command("resync")),
            "full: bool, services: [string], agency: string, wait: bool");
  EXPECT_EQ(describe_args(command("retry")), "services: [string], rejected: bool, failed: bool");
  EXPECT_EQ(describe_args(command("history")), "limit: int (1-1000, default 10)");
  EXPECT_EQ(describe_args(command("backup")),
            "(a file descriptor passed with the request, SCM_RIGHTS)");
  EXPECT_EQ(describe_args(command("codes")),
            R"(kind: "services" | "agencies", prefix: string, limit: int (1-10000, default 1000))");
}

}  // namespace
}  // namespace psd::control
