// portal-syncd: keeps a province's online public services integrated with the
// national public service portal. All the work is in the libraries; this only
// turns the command line into a run.

#include <cstdio>
#include <string>
#include <vector>

#include "daemon/runtime/app.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const auto parsed = psd::runtime::parse_command_line(args);
  if (!parsed) {
    std::fprintf(stderr, "portal-syncd: %s\nTry 'portal-syncd --help'.\n",
                 parsed.error().message.c_str());
    return 2;
  }
  return psd::runtime::run(*parsed);
}
