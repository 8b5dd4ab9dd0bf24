#pragma once
// A scratch folder with a config pointing at a running portal-sim, and a way
// to run the real portal-syncd binary against it.

#include <rapidjson/document.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/sim_process.hpp"

namespace psd::testing {

/// A finished run of portal-syncd (or of portal-syncctl: CtlResult).
struct DaemonResult {
  int exit_code = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr: the log
};

/// The exit status, stdout and stderr of `result`, for a failed expectation.
std::string describe(const DaemonResult& result);

class DaemonRun {
 public:
  /// Make a scratch folder and a config for `sim` (`extra_toml` is appended
  /// after the top-level keys, before any table).
  /// `tls_table` is the body of the [tls] table.
  explicit DaemonRun(const SimProcess& sim, const std::string& extra_toml = "",
                     const std::string& national_extra = "",
                     const std::string& tls_table = "allow_insecure_http = true\n");
  ~DaemonRun();

  /// Run portal-syncd with `args` (after --config FILE) and wait for it.
  DaemonResult run(const std::vector<std::string>& args) const;
  DaemonResult once() const { return run({"--once"}); }

  /// Parse the status file; fail the test when it is not valid JSON.
  rapidjson::Document status() const;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path config_path() const { return dir_ / "portal-syncd.toml"; }
  std::filesystem::path status_path() const { return dir_ / "status.json"; }
  std::filesystem::path state_db() const { return dir_ / "state" / "state.db"; }

 private:
  std::filesystem::path dir_;
};

/// Read a whole file.
std::string read_file(const std::filesystem::path& path);

}  // namespace psd::testing
