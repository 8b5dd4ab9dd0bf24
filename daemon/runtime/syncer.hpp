#pragma once
// Everything one configuration needs to run cycles: the HTTP clients, the two
// portals' adapters, the state store, and the status it reports.
//
// Threads: one thread (the daemon's cycle worker) runs cycles; any thread may
// call write_status_file, write_metrics_file, status_json_text, progress, history and the re-queue
// calls. The reports are guarded by a mutex, the progress by atomics.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "adapters/http/http_client.hpp"
#include "adapters/national/national_client.hpp"
#include "adapters/provincial/catalogue_reader.hpp"
#include "config/config.hpp"
#include "daemon/engine/cycle.hpp"
#include "daemon/runtime/metrics_file.hpp"
#include "daemon/runtime/status_file.hpp"
#include "daemon/state/requeue.hpp"
#include "daemon/state/state_store.hpp"

namespace psd::runtime {

/// A portal closed by its Retry-After window, and until when.
struct ClosedPortal {
  state::Portal portal = state::Portal::national;
  std::chrono::system_clock::time_point until;
};

/// One cycle as the caller asks for it, beyond what the configuration says.
struct SyncRequest {
  engine::CycleMode mode = engine::CycleMode::execute;
  engine::CycleTarget target{};
  std::stop_token stop{};         ///< see engine::CycleOptions::stop
  engine::ProgressFn progress{};  ///< also called as pushes complete, when set
};

class Syncer {
 public:
  /// Build every part from `config`; read the secrets. Throw
  /// std::runtime_error naming the file at fault. `abandon` ends every
  /// transfer in flight at once, and the clients' waits between tries (the
  /// process's shutdown bound).
  explicit Syncer(const config::Config& config, const std::stop_token& abandon = {});

  /// Run one cycle and keep its report for the status file.
  const engine::CycleReport& run_cycle(const SyncRequest& request);

  /// Read both sides and plan, writing nothing anywhere; the report is not kept.
  engine::CycleReport plan(std::stop_token stop);

  /// Write the status file with `state`, atomically. Throw when the store or
  /// the file system fails: the thread's boundary catches it (the daemon's
  /// loop: Daemon::contain; --once: runtime::run, exit 2).
  void write_status_file(DaemonState state);
  /// Write the metrics file with `state`, when configured; throw as above.
  void write_metrics_file(DaemonState state);
  /// Return the status file's JSON for `state`, as write_status_file would write it.
  std::string status_json_text(DaemonState state) const;

  /// The portals whose Retry-After window (kept across restarts) is closed now.
  std::vector<ClosedPortal> closed_portals();

  /// Pushes done and planned in the running cycle, or nothing between cycles.
  std::optional<CycleProgress> progress() const;

  /// Take over `older`'s reports after a reload, so the status keeps its last cycle.
  void adopt_reports(const Syncer& older);

  std::vector<state::CycleRecord> history(int limit) const { return store_.history(limit); }
  state::RequeueResult requeue(const state::RequeueRequest& request) {
    return store_.requeue_parked(request);
  }

  /// Codes of the last complete catalogue listing (services, or agencies)
  /// that start with `prefix`, sorted, at most `limit`.
  std::vector<std::string> catalogue_codes(bool agencies, const std::string& prefix,
                                           int limit) const {
    return store_.catalogue_codes(agencies, prefix, limit);
  }
  /// The state.db this syncer uses.
  std::filesystem::path state_path() const { return store_.path(); }

  const config::Config& config() const { return config_; }

 private:
  StatusView status_view(DaemonState state) const;
  /// Log the portals a cycle must first wait for.
  void announce_closed_portals();

  config::Config config_;
  /// The one clock of the engine and both portals' clients (reading it changes nothing).
  mutable engine::SystemClock clock_;
  mutable state::StateStore store_;
  http::HttpClient provincial_http_;
  http::HttpClient national_http_;
  std::unique_ptr<provincial::CatalogueReader> catalogue_;  ///< of provincial.dialect
  national::TokenSource tokens_;
  national::NationalClient portal_;

  mutable std::mutex reports_mutex_;  // guards the three reports below
  std::optional<engine::CycleReport> last_;
  std::optional<engine::CycleReport> last_planned_;
  std::optional<core::Coverage> coverage_;
  MetricsTotals metrics_totals_;  ///< counters of the metrics file, for the process's life
  std::chrono::system_clock::time_point process_started_at_ = clock_.now();

  std::mutex write_mutex_;  // one status file writer at a time, in order
  std::atomic<bool> running_{false};
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::uint64_t> total_{0};
  mutable std::mutex started_mutex_;
  std::string started_at_;  // of the running cycle
};

}  // namespace psd::runtime
