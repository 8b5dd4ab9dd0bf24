// Fuzz the configuration loader (config/config.hpp, parse_config from a string).
// Beyond "no crash": it either returns a Config whose documented promises hold
// (absolute paths, base URLs without a trailing "/", positive limits), or
// throws ConfigError naming the file; any other exception is a finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string_view>

#include "config/config.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using psd::fuzz::require;

// Relative paths in the text resolve against this file's folder, which need
// not exist: parse_config reads no file.
const char* const kSource = "/fuzz/portal-syncd.toml";

bool absolute_or_empty(const std::filesystem::path& path) {
  return path.empty() || path.is_absolute();
}

bool no_trailing_slash(std::string_view url) { return !url.empty() && !url.ends_with('/'); }

void check_config(const psd::config::Config& config) {
  require(!config.province.empty(), "a loaded config names its province");
  require(config.state_dir.is_absolute() && config.status_file.is_absolute() &&
              config.control_socket.is_absolute(),
          "the daemon's own paths are absolute");
  require(absolute_or_empty(config.metrics_file), "metrics_file is absolute or empty");
  require(absolute_or_empty(config.provincial.token_file) &&
              config.national.client_secret_file.is_absolute() &&
              absolute_or_empty(config.tls.ca_file) && absolute_or_empty(config.tls.client_cert) &&
              absolute_or_empty(config.tls.client_key),
          "files read are resolved to absolute paths");
  require(
      no_trailing_slash(config.provincial.base_url) && no_trailing_slash(config.national.base_url),
      "base URLs have no trailing /");
  require(config.poll_interval.count() > 0 && config.full_resync_interval.count() > 0 &&
              config.provincial.timeout.count() > 0 && config.national.timeout.count() > 0,
          "durations are positive");
  require(config.provincial.page_size > 0 && config.national.max_concurrency > 0 &&
              config.national.max_requests_per_second > 0 && config.retry.max_attempts > 0,
          "limits are positive");
  require(config.retry.initial_backoff <= config.retry.max_backoff,
          "the first backoff is not longer than the longest");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  // resolve_file looks there first; the fuzz run must not depend on the caller's.
  unsetenv("CREDENTIALS_DIRECTORY");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    check_config(psd::config::parse_config(text, kSource));
  } catch (const psd::config::ConfigError& error) {
    const std::string_view message = error.what();
    require(message.starts_with(kSource), "a config error names the file");
  } catch (...) {
    require(false, "parse_config throws only ConfigError");
  }
  return 0;
}
