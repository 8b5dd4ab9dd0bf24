#pragma once
// The configuration file (contract section 6): parsed into a new object,
// used only when every key is valid.

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "config/agency_remap.hpp"
#include "config/mapping.hpp"
#include "daemon/core/failure.hpp"

namespace psd::config {

using Duration = std::chrono::milliseconds;

/// How the catalogue is read: the contract's shape, or through a mapping file.
enum class Dialect { contract, mapped };

struct Provincial {
  std::string base_url;
  Dialect dialect = Dialect::contract;
  std::optional<Mapping> mapping;    ///< loaded and checked; set when dialect is mapped
  std::filesystem::path token_file;  ///< resolved; empty when not set
  int page_size = 200;
  Duration timeout = std::chrono::seconds(30);
};

struct National {
  std::string base_url;
  std::string token_url;
  std::string client_id;
  std::filesystem::path client_secret_file;  ///< resolved
  int max_concurrency = 8;
  double max_requests_per_second = 20;
  Duration timeout = std::chrono::seconds(30);
};

struct Retry {
  Duration initial_backoff = std::chrono::seconds(1);
  Duration max_backoff = std::chrono::minutes(5);
  int max_attempts = 12;
};

struct Safety {
  bool withdraw_removed = false;
  double max_withdraw_fraction = 0.05;
  double max_catalogue_shrink = 0.10;
};

struct Agencies {
  std::filesystem::path remap_file;   ///< resolved; empty when not set
  std::vector<AgencyRemapRow> remap;  ///< its rows, loaded and checked
};

struct Tls {
  std::filesystem::path ca_file;      ///< resolved; empty when not set
  std::filesystem::path client_cert;  ///< resolved; empty when not set
  std::filesystem::path client_key;   ///< resolved; empty when not set
  bool allow_insecure_http = false;
};

/// A file the configuration names for the daemon to read (a secret, a TLS
/// file), with where it is named, so that a problem with it points at the key.
struct InputFile {
  std::string key;             ///< dotted, e.g. "national.client_secret_file"
  int line = 0;                ///< of the key in the config file
  std::filesystem::path path;  ///< resolved
  bool secret = false;         ///< read with read_secret (one line, not empty)
};

/// After loading, every path is absolute: relative ones in the file are taken
/// from the config's folder (files read go through resolve_file), and base
/// URLs have no trailing "/".
struct Config {
  std::filesystem::path source;  ///< the file it was read from
  std::string province;
  std::filesystem::path state_dir = "/var/lib/portal-syncd";
  std::filesystem::path status_file = "/run/portal-syncd/status.json";
  std::filesystem::path metrics_file;  ///< empty: no metrics file
  std::filesystem::path control_socket = "/run/portal-syncd/control.sock";
  Duration poll_interval = std::chrono::minutes(5);
  Duration full_resync_interval = std::chrono::hours(24);
  Provincial provincial;
  National national;
  Retry retry;
  Safety safety;
  Tls tls;
  Agencies agencies;
  std::vector<InputFile> inputs;  ///< every file set above that the daemon reads, in file order
};

/// A configuration error: names the file, the key and its line.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& message, std::string key, int line);
  const std::string& key() const { return key_; }
  int line() const { return line_; }  ///< 0 when the key is missing

 private:
  std::string key_;
  int line_;
};

/// Read and validate the file at `path`, and the mapping file and agency
/// remap table it names. Throw ConfigError.
Config load_config(const std::filesystem::path& path);

/// What the daemon does with its configuration at start, on reload (SIGHUP)
/// and for --check-config: load_config, then read every input file (secrets
/// as secrets, TLS files whole) so that one it cannot use is refused now,
/// naming the config file, the key and its line. Opens no connection and
/// writes nothing. Throw ConfigError.
Config load_and_check(const std::filesystem::path& path);

/// Validate TOML `text` as if read from `source` (relative file paths are
/// resolved against its folder or $CREDENTIALS_DIRECTORY). Throw ConfigError.
Config parse_config(std::string_view text, const std::filesystem::path& source);

/// Parse "500ms", "30s", "5m", "24h" (a positive integer and a unit), or
/// return a failure (kind invalid) saying what is wrong with `text`.
tl::expected<Duration, core::Failure> parse_duration(std::string_view text);

/// Return the path a relative `name` stands for: in $CREDENTIALS_DIRECTORY
/// when that is set and holds the file, else next to the config file in
/// `config_dir`. Absolute paths are returned as they are.
std::filesystem::path resolve_file(const std::filesystem::path& name,
                                   const std::filesystem::path& config_dir);

/// Read a secret (client secret, bearer token) from `path`, without its
/// trailing newline, or return a failure naming the file, never its content.
tl::expected<std::string, core::Failure> read_secret(const std::filesystem::path& path);

/// A warning when the secret file at `path` may be read by users other than
/// its owner and group ("others"); nothing when it is private or unreadable.
std::optional<std::string> secret_file_warning(const std::filesystem::path& path);

}  // namespace psd::config
