#pragma once
// Everything one configuration needs to run cycles: the HTTP clients, the two
// portals' adapters, the state store, and the status it reports.

#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "adapters/http/http_client.hpp"
#include "adapters/national/national_client.hpp"
#include "adapters/provincial/catalogue_client.hpp"
#include "config/config.hpp"
#include "daemon/engine/cycle.hpp"
#include "daemon/runtime/status_file.hpp"
#include "daemon/state/state_store.hpp"

namespace psd::runtime {

/// One cycle as the caller asks for it, beyond what the configuration says.
struct SyncRequest {
  engine::CycleMode mode = engine::CycleMode::execute;
  engine::CatalogueCache cache = engine::CatalogueCache::use_etag;
  std::stop_token stop;                 ///< see engine::CycleOptions::stop
  std::vector<std::string> only_codes;  ///< see engine::CycleOptions::only_codes
  std::string only_agency;
  engine::ProgressFn progress;  ///< also called as pushes complete, when set
};

class Syncer {
 public:
  /// Build every part from `config`; read the secrets. Throw
  /// std::runtime_error naming the file at fault. `abandon` ends every
  /// transfer in flight at once (the process's shutdown bound).
  explicit Syncer(const config::Config& config, std::stop_token abandon = {});

  /// Run one cycle and keep its report for the status file.
  const engine::CycleReport& run_cycle(const SyncRequest& request);

  /// Write the status file with `state` (atomically). Log, never throw, on failure.
  void write_status(DaemonState state);

  const config::Config& config() const { return config_; }

 private:
  config::Config config_;
  engine::SystemClock clock_;
  state::StateStore store_;
  http::HttpClient provincial_http_;
  http::HttpClient national_http_;
  provincial::CatalogueClient catalogue_;
  national::TokenSource tokens_;
  national::NationalClient portal_;
  std::stop_token abandon_;  ///< ends the client's waits between tries at shutdown
  std::optional<engine::CycleReport> last_;
  std::optional<engine::CycleReport> last_planned_;
  std::optional<core::Coverage> coverage_;
};

}  // namespace psd::runtime
