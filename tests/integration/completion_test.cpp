// Bash completion (completion/): both scripts parse (bash -n), and compgen,
// driven through the completion functions as bash would call them, offers a
// command, an option, and a service code the running daemon last listed.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "ctl/options.hpp"
#include "tests/integration/daemon_process.hpp"
#include "tests/support/sim_process.hpp"

namespace psd::testing {
namespace {

constexpr const char* kScripts = PSD_SOURCE_DIR "/completion/";

/// What the completion function `function` of `script` offers for the command
/// line `words`, the last one being completed.
std::vector<std::string> complete(const std::string& script, const std::string& function,
                                  std::vector<std::string> words) {
  std::vector<std::string> args = {
      "-c",
      "source \"$1\"; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); " + function +
          "; printf '%s\\n' \"${COMPREPLY[@]}\"",
      "complete", std::string(kScripts) + script};
  args.insert(args.end(), words.begin(), words.end());
  const CtlResult result = run_program("bash", args, std::chrono::seconds(30));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> offered;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) offered.push_back(line);
  }
  return offered;
}

std::vector<std::string> ctl_complete(std::vector<std::string> words) {
  words.insert(words.begin(), PSD_CTL_BINARY);
  return complete("portal-syncctl", "_portal_syncctl", std::move(words));
}

TEST(Completion, ScriptsParse) {
  for (const char* script : {"portal-syncd", "portal-syncctl"}) {
    const CtlResult result = run_program("bash", {"-n", std::string(kScripts) + script});
    EXPECT_EQ(result.exit_code, 0) << script << ": " << result.err;
  }
}

TEST(Completion, PortalSyncdOptionsAndTheirValues) {
  using V = std::vector<std::string>;
  EXPECT_EQ(complete("portal-syncd", "_portal_syncd", {"portal-syncd", "--check"}),
            V{"--check-config"});
  EXPECT_EQ(complete("portal-syncd", "_portal_syncd", {"portal-syncd", "--log-level", "w"}),
            V{"warn"});
  // Every option of --help is offered.
  const auto all = complete("portal-syncd", "_portal_syncd", {"portal-syncd", "--"});
  const CtlResult help = run_program(PSD_DAEMON_BINARY, {"--help"});
  for (const auto& option : all) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option << " is not in --help";
  }
  for (const char* option : {"--config", "--once", "--dry-run", "--check-config", "--log-level",
                             "--stop-timeout", "--print-mapping", "--help", "--version"}) {
    EXPECT_NE(std::find(all.begin(), all.end(), option), all.end()) << option;
  }
}

TEST(Completion, PortalSyncctlCommandsAndOptionsAreTheProgramsOwn) {
  using V = std::vector<std::string>;
  EXPECT_EQ(ctl_complete({"ba"}), V{"backup"});
  EXPECT_EQ(ctl_complete({"resync", "--ser"}), V{"--service"});
  EXPECT_EQ(ctl_complete({"--so"}), V{"--socket"});
  // In step with portal-syncctl's own lists.
  auto commands = ctl_complete({""});
  auto names = ctl::command_names();
  std::sort(commands.begin(), commands.end());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(commands, names);
  for (const std::string command : {"resync", "retry", "history"}) {
    auto offered = ctl_complete({command, "-"});
    auto options = ctl::command_options(command);
    options.push_back("--json");
    std::sort(offered.begin(), offered.end());
    std::sort(options.begin(), options.end());
    EXPECT_EQ(offered, options) << command;
  }
  auto global = ctl_complete({"-"});
  auto options = ctl::command_options("");
  std::sort(global.begin(), global.end());
  std::sort(options.begin(), options.end());
  EXPECT_EQ(global, options);
}

TEST(Completion, ServiceAndAgencyCodesComeFromTheRunningDaemon) {
  SimProcess sim({"--services", "30", "--full", "10", "--integrated", "30"});
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();
  const SimServices services = sim.services();
  ASSERT_FALSE(services.records.empty());
  const std::string code = services.records.front().code;
  const std::string agency = services.records.front().agency_code;

  const auto offered = ctl_complete(
      {"--socket", daemon.socket(), "resync", "--service", code.substr(0, code.size() - 2)});
  EXPECT_NE(std::find(offered.begin(), offered.end(), code), offered.end())
      << code << " not offered";
  for (const auto& each : offered) EXPECT_EQ(each.rfind(code.substr(0, code.size() - 2), 0), 0u);

  const auto agencies =
      ctl_complete({"--socket", daemon.socket(), "resync", "--agency", agency.substr(0, 1)});
  EXPECT_NE(std::find(agencies.begin(), agencies.end(), agency), agencies.end());

  const auto retry = ctl_complete({"--socket", daemon.socket(), "retry", code});
  EXPECT_EQ(retry, std::vector<std::string>{code});

  // No daemon: no codes, no error on the terminal.
  EXPECT_TRUE(
      ctl_complete({"--socket", daemon.socket() + ".none", "resync", "--service", ""}).empty());
}

}  // namespace
}  // namespace psd::testing
