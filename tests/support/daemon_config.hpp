#pragma once
// A portal-syncd configuration (contract section 6) pointing at a running
// simulator, with every file it names inside one TempDir. Built from the
// contract's keys only, not from the daemon's code.
//
//   TempDir dir;
//   SimProcess sim;
//   DaemonConfig cfg = DaemonConfig::for_sim(sim, dir);
//   cfg.safety_withdraw_removed = true;
//   const std::string path = cfg.write(dir);  // also writes the client secret
//   ChildProcess daemon(PSD_DAEMON_BINARY, {"--config", path, "--once"});

#include <string>
#include <vector>

#include "tests/support/sim_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::testing {

struct DaemonConfig {
  std::string province = "H43";
  std::string state_dir;
  std::string status_file;
  std::string metrics_file;
  std::string control_socket;
  std::string poll_interval = "1s";
  std::string full_resync_interval = "24h";

  std::string provincial_base_url;
  std::string provincial_token_file;  // empty: no catalogue token
  int provincial_page_size = 200;
  std::string provincial_timeout = "10s";

  std::string national_base_url;
  std::string token_url;
  std::string client_id = "province-h43";
  std::string client_secret_file = "client_secret";  // relative: next to the config
  std::string client_secret = "sim-secret";          // written by write()
  int max_concurrency = 8;
  int max_requests_per_second = 1000;
  std::string national_timeout = "10s";

  std::string initial_backoff = "50ms";
  std::string max_backoff = "1s";
  int max_attempts = 5;

  bool withdraw_removed = false;
  double max_withdraw_fraction = 0.05;
  double max_catalogue_shrink = 0.10;

  bool allow_insecure_http = true;  // the simulator speaks plain HTTP

  /// Lines appended verbatim at the end of the top level (before any table),
  /// e.g. an unknown key to test the config checker.
  std::vector<std::string> extra_top_level;

  /// Everything pointing at `sim`, every path inside `dir`.
  static DaemonConfig for_sim(const SimProcess& sim, const TempDir& dir);

  std::string to_toml() const;

  /// Write the secret file (when client_secret is not empty) and the TOML as
  /// dir/portal-syncd.toml; returns the config path.
  std::string write(const TempDir& dir, const std::string& name = "portal-syncd.toml") const;
};

}  // namespace psd::testing
