#include "ctl/options.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "daemon/control/commands.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/core/expected_result.hpp"

namespace psd::ctl {
namespace {

Options parse(const std::vector<std::string>& args) {
  return core::testing::value_or_fail(parse_options(args));
}

std::string reason(const std::vector<std::string>& args) {
  return core::testing::message_or(parse_options(args), "(accepted)");
}

TEST(CtlOptions, ParsesResyncWithEveryOption) {
  const Options options = parse({"--socket", "/s", "resync", "--full", "--service", "A",
                                 "--service=B", "--agency", "X", "--wait"});
  EXPECT_EQ(options.socket, std::filesystem::path("/s"));
  EXPECT_EQ(options.command, "resync");
  EXPECT_TRUE(options.full);
  EXPECT_TRUE(options.wait);
  EXPECT_EQ(options.services, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(options.agency, "X");
}

TEST(CtlOptions, ParsesRetryHistoryAndJson) {
  EXPECT_EQ(parse({"retry", "A", "B"}).codes, (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(parse({"retry", "--rejected"}).rejected);
  EXPECT_EQ(parse({"history", "-n", "5"}).limit, 5);
  EXPECT_EQ(parse({"history"}).limit, 10);
  EXPECT_TRUE(parse({"--json", "status"}).json);
  EXPECT_TRUE(parse({"status", "--json"}).json);
}

TEST(CtlOptions, RefusesWhatItDoesNotKnow) {
  EXPECT_EQ(reason({}), "no command given");
  EXPECT_EQ(reason({"frob"}), "unknown command 'frob'");
  EXPECT_EQ(reason({"status", "--full"}), "unknown argument '--full' for status");
  EXPECT_EQ(reason({"resync", "--service"}), "--service needs a CODE");
  EXPECT_EQ(reason({"history", "-n", "0"}), "-n: '0' is not a number from 1 to 1000");
  EXPECT_EQ(reason({"history", "-n", "5x"}), "-n: '5x' is not a number from 1 to 1000");
  EXPECT_EQ(reason({"retry", "A", "--failed"}),
            "retry takes CODEs or --rejected/--failed, not both");
}

TEST(CtlOptions, FindsTheSocketInTheDaemonsConfig) {
  psd::testing::TempDir dir;
  const std::string absolute = dir.write("a.toml", "control_socket = \"/run/x/ctl.sock\"\n");
  EXPECT_EQ(*(socket_path(parse({"--config", absolute, "status"}))), "/run/x/ctl.sock");
  const std::string relative = dir.write("b.toml", "control_socket = \"ctl.sock\"\n");
  EXPECT_EQ(*(socket_path(parse({"--config", relative, "status"}))),
            std::filesystem::path(dir.path()) / "ctl.sock");
  const std::string without = dir.write("c.toml", "province = \"H43\"\n");
  EXPECT_EQ(*(socket_path(parse({"--config", without, "status"}))), kDefaultSocket);
  // --socket wins over the file.
  EXPECT_EQ(*(socket_path(parse({"--config", absolute, "--socket", "/s", "status"}))), "/s");
  // A given config that cannot be read is an error, not a silent default.
  const auto missing = socket_path(parse({"--config", dir.file("none.toml"), "status"}));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("none.toml"), std::string::npos);
}

TEST(CtlOptions, HelpNamesEveryCommandAndExitCode) {
  const std::string help = help_text();
  for (const char* word : {"status", "resync", "plan", "retry", "pause", "resume", "history",
                           "reload", "list-commands", "--socket", "--wait", " 69 ", " 77 "}) {
    EXPECT_NE(help.find(word), std::string::npos) << word;
  }
}

TEST(CtlOptions, TheCommandCheckAndHelpComeFromTheDaemonsTable) {
  const std::string help = help_text();
  for (const auto& command : control::command_table()) {
    const std::string name(command.name);
    EXPECT_EQ(reason({name}).find("unknown command"), std::string::npos) << name;
    const std::string synopsis(command.usage.substr(0, command.usage.find('\n')));
    EXPECT_NE(help.find("\n    " + synopsis + "\n"), std::string::npos) << name;
  }
  EXPECT_EQ(command_names().size(), control::command_table().size() + 1);
  EXPECT_EQ(command_names().back(), "report");
  EXPECT_EQ(reason({"frobnicate"}), "unknown command 'frobnicate'");
}

TEST(CtlOptions, EveryOptionInATablesSynopsisIsOneTheParserKnows) {
  for (const auto& command : control::command_table()) {
    const auto known = command_options(std::string(command.name));
    std::istringstream words{std::string(command.usage)};
    for (std::string word; words >> word;) {
      const auto start = word.find_first_not_of('[');
      if (start == std::string::npos || word[start] != '-') continue;
      const std::string option = word.substr(start, word.find_first_of("]|.", start) - start);
      EXPECT_NE(std::find(known.begin(), known.end(), option), known.end())
          << command.name << ": " << option;
    }
  }
}

}  // namespace
}  // namespace psd::ctl
