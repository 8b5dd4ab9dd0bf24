#pragma once
// Run an operator's tool (promtool, systemd-analyze) on a shipped file. A
// test calls GTEST_SKIP when the tool is missing, so the report says SKIPPED
// rather than passed.
//
//   const auto promtool = find_program("promtool");
//   if (!promtool) GTEST_SKIP() << "promtool not found (`make promtool` unpacks it from Debian's
//   prometheus package)"; const ToolResult result = run_tool(*promtool, {"check", "rules", path});

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"

namespace psd::testing {

struct ToolResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string output() const { return out + err; }
};

/// Return the path of `name` in the build's tools (PSD_TOOL_DIRS: promtool
/// unpacked by `make promtool`, not installed), $PATH or the sbin folders
/// (which a test user's PATH may lack), or nothing.
inline std::optional<std::string> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = std::string(path != nullptr ? path : "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
#ifdef PSD_TOOL_DIRS
  dirs = std::string(PSD_TOOL_DIRS) + ":" + dirs;
#endif
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string dir = dirs.substr(start, end - start);
    if (!dir.empty()) {
      const std::string candidate = dir + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

/// Run `binary` with `args`, optionally with `stdin_file` as its standard
/// input, and wait up to two minutes (a loaded machine is slow, not stuck).
inline ToolResult run_tool(const std::string& binary, const std::vector<std::string>& args,
                           const std::string& stdin_file = "", ChildOptions options = {}) {
  std::vector<std::string> argv = args;
  std::string program = binary;
  if (!stdin_file.empty()) {
    // ChildProcess has no stdin; let a shell redirect it.
    argv = {"-c", "f=$1; shift; exec \"$@\" < \"$f\"", "sh", stdin_file, binary};
    argv.insert(argv.end(), args.begin(), args.end());
    program = "/bin/sh";
  }
  ChildProcess child(program, argv, std::move(options));
  ToolResult result;
  result.exit_code = child.wait(std::chrono::seconds(120)).value_or(-1);
  child.wait_output_closed(std::chrono::seconds(5));
  result.out = child.stdout_text();
  result.err = child.stderr_text();
  return result;
}

}  // namespace psd::testing
