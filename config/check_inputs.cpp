// load_and_check: the configuration as the daemon uses it at start, on reload
// and for --check-config, so the three cannot disagree.
#include <string>

#include "config/config.hpp"
#include "config/io.hpp"

namespace psd::config {
namespace {

// Certificates and keys are small; a larger file is a wrong path.
constexpr std::size_t kMaxTlsFileBytes = std::size_t{1024} * 1024;

[[noreturn]] void fail_input(const Config& config, const InputFile& input,
                             const std::string& problem) {
  const std::string where = config.source.string() + ":" + std::to_string(input.line);
  throw ConfigError(where + ": " + input.key + ": " + problem, input.key, input.line);
}

// Read `input` as the daemon will; throw ConfigError naming its key when it cannot.
void check_input(const Config& config, const InputFile& input) {
  if (input.secret) {
    // Its content is dropped here, never logged.
    if (const auto secret = read_secret(input.path); !secret) {
      fail_input(config, input, secret.error().message);
    }
    return;
  }
  std::string content;
  if (const auto error = detail::read_file(input.path, kMaxTlsFileBytes, content)) {
    fail_input(config, input, "cannot read " + input.path.string() + ": " + error.message());
  }
  if (content.empty()) fail_input(config, input, input.path.string() + " is empty");
}

}  // namespace

Config load_and_check(const std::filesystem::path& path) {
  Config config = load_config(path);
  for (const InputFile& input : config.inputs) check_input(config, input);
  return config;
}

}  // namespace psd::config
